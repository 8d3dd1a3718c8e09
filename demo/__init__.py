"""Demo and benchmark data, apart from the code that serves requests.

``manage.py demo_load`` builds the demo kabupaten from these modules, in this order:
``demo.posyandu`` (areas, posyandu, pengurus, people, one login per role), ``demo.kesehatan`` (a year
of health data, then ``demo.bidang``: the five other SPM fields), ``demo.kader`` (kader, trainings,
assessments) and ``demo.laporan`` (the monthly rollup). ``manage.py bench`` and ``bench_load_prepare``
seed and time the synthetic kabupaten of the benchmark (``make bench``).
"""
