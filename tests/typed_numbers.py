"""Numbers as a kader types them, and what the server makes of each: the value it takes, or its exact words.

One table for both sides: the server (tests/layanan/test_typed_numbers.py: the form and the visit service,
through the path the phone's records take) and the phone (tests/browser/test_offline_numbers.py:
static/js/offline/numbers.js with the checks served in the day's data) must give the same answer.

A kader never means an exponent, NaN, Infinity or an underscore: Python's ``Decimal()`` reads ``1e2`` as
100 and ``1_0`` as 10, so the form refuses them before ``Decimal()`` sees them.
"""

from decimal import Decimal as D

# The field, where it is typed: a balita's visit, an ibu hamil's, an adult's, a newborn registered offline.
STAGES = {
    "weight_kg": "balita",
    "height_cm": "balita",
    "gestational_weeks": "ibu_hamil",
    "glucose_mg_dl": "usia_produktif",
    "birth_weight_kg": "new_person",
}

NOT_A_NUMBER = "Masukkan angka, misalnya 8,5."
EXPONENT = "Ada huruf e pada angka ini. Tulis angkanya saja, misalnya 8,5."
OTHER_DIGITS = "Tulis angka dengan angka biasa 0–9 (angka lebar atau Arab tidak diterima)."
NOT_WHOLE = "Masukkan bilangan bulat, misalnya 120."


def _weight_limits(value: str) -> str:
    return f"Nilai {value} di luar batas wajar (0,5–40). Periksa ketikan."


def _glucose_limits(value: str) -> str:
    return f"Nilai {value} di luar batas wajar (20–900). Periksa ketikan."


BIRTH_WEIGHT_RANGE = "Berat lahir harus antara 0,3 dan 7 kg."

# (field, typed, the value taken (Decimal or int: its str() is what the phone must read) or the message)
CASES = [
    # a balita's weight: two decimals, five digits, 0.5–40 kg
    ("weight_kg", "8,5", D("8.5")),
    ("weight_kg", "8.5", D("8.5")),
    ("weight_kg", " 8,5 ", D("8.5")),
    ("weight_kg", "8 , 5", D("8.5")),
    ("weight_kg", "\u00a08,5", D("8.5")),  # a no-break space around it, as some keyboards add
    ("weight_kg", "8,50", D("8.50")),
    ("weight_kg", "08,5", D("8.5")),
    ("weight_kg", "+5", D("5")),
    ("weight_kg", ",5", D("0.5")),
    ("weight_kg", "8,", D("8")),
    ("weight_kg", "30,", D("30")),
    ("weight_kg", "40", D("40")),
    ("weight_kg", "0", _weight_limits("0")),
    ("weight_kg", "0,0", _weight_limits("0,0")),
    ("weight_kg", "0,00", _weight_limits("0,00")),
    ("weight_kg", "-0", _weight_limits("-0")),
    ("weight_kg", "-3", _weight_limits("-3")),
    ("weight_kg", "0,4", _weight_limits("0,4")),
    ("weight_kg", "40,01", _weight_limits("40,01")),
    ("weight_kg", "500", _weight_limits("500")),
    ("weight_kg", "1e2", EXPONENT),
    ("weight_kg", "1E2", EXPONENT),
    ("weight_kg", "8,5e1", EXPONENT),
    ("weight_kg", "1e-1", EXPONENT),
    ("weight_kg", ".5E+1", EXPONENT),
    ("weight_kg", "inf", NOT_A_NUMBER),
    ("weight_kg", "Infinity", NOT_A_NUMBER),
    ("weight_kg", "-Infinity", NOT_A_NUMBER),
    ("weight_kg", "nan", NOT_A_NUMBER),
    ("weight_kg", "NaN", NOT_A_NUMBER),
    ("weight_kg", "sNaN", NOT_A_NUMBER),
    ("weight_kg", "1_0", NOT_A_NUMBER),
    ("weight_kg", "0x10", NOT_A_NUMBER),
    ("weight_kg", "1.234,5", NOT_A_NUMBER),
    ("weight_kg", "1,234.5", NOT_A_NUMBER),
    ("weight_kg", "8,5,1", NOT_A_NUMBER),
    ("weight_kg", "8..5", NOT_A_NUMBER),
    ("weight_kg", "8\u00a05", NOT_A_NUMBER),
    ("weight_kg", "8٫5", NOT_A_NUMBER),  # the Arabic decimal sign is not a digit
    ("weight_kg", "sembilan", NOT_A_NUMBER),
    ("weight_kg", "8 kg", NOT_A_NUMBER),
    ("weight_kg", ",", NOT_A_NUMBER),
    ("weight_kg", ".", NOT_A_NUMBER),
    ("weight_kg", "-", NOT_A_NUMBER),
    ("weight_kg", "+", NOT_A_NUMBER),
    ("weight_kg", "８,５", OTHER_DIGITS),
    ("weight_kg", "٨,٥", OTHER_DIGITS),
    ("weight_kg", "8,555", "Paling banyak 2 angka di belakang koma."),
    ("weight_kg", "1234", "Pastikan jumlah angka sebelum desimal pada bilangan tidak memiliki lebih dari 3 angka."),
    ("weight_kg", "123456", "Pastikan jumlah angka pada bilangan tidak melebihi 5 angka."),
    # a balita's length: one decimal (a trailing zero counts, as Django counts it), 35–130 cm
    ("height_cm", "70,5", D("70.5")),
    ("height_cm", "70,25", "Paling banyak 1 angka di belakang koma."),
    ("height_cm", "70,50", "Paling banyak 1 angka di belakang koma."),
    ("height_cm", "34,9", "Nilai 34,9 di luar batas wajar (35–130). Periksa ketikan."),
    ("height_cm", "1e2", EXPONENT),
    # an ibu hamil's gestational age: a whole number, 1–45 (the form's own bounds and words)
    ("gestational_weeks", "12", 12),
    ("gestational_weeks", " 12 ", 12),
    ("gestational_weeks", "+12", 12),
    ("gestational_weeks", "012", 12),
    ("gestational_weeks", "12.0", 12),  # Django's IntegerField takes a trailing ".0"
    ("gestational_weeks", "12.", 12),
    ("gestational_weeks", "12,0", NOT_WHOLE),
    ("gestational_weeks", "12,5", NOT_WHOLE),
    ("gestational_weeks", "1e1", NOT_WHOLE),
    ("gestational_weeks", "1_2", NOT_WHOLE),
    ("gestational_weeks", "١٢", OTHER_DIGITS),
    ("gestational_weeks", "0", "Pastikan nilai ini lebih besar dari atau sama dengan 1."),
    ("gestational_weeks", "-0", "Pastikan nilai ini lebih besar dari atau sama dengan 1."),
    ("gestational_weeks", "46", "Pastikan nilai ini lebih kecil dari atau sama dengan 45."),
    # an adult's blood glucose: a whole number, 20–900 mg/dL (the visit service's limits)
    ("glucose_mg_dl", "120", 120),
    ("glucose_mg_dl", "0020", 20),
    ("glucose_mg_dl", "19", _glucose_limits("19")),
    ("glucose_mg_dl", "-0", _glucose_limits("0")),  # a whole number has no negative zero
    ("glucose_mg_dl", "901", _glucose_limits("901")),
    # a newborn's birth weight, registered offline: two decimals, three digits, 0.3–7 kg (the database's)
    ("birth_weight_kg", "3,1", D("3.1")),
    ("birth_weight_kg", "0,3", D("0.3")),
    ("birth_weight_kg", "0", BIRTH_WEIGHT_RANGE),
    ("birth_weight_kg", "0,29", BIRTH_WEIGHT_RANGE),
    ("birth_weight_kg", "7,01", BIRTH_WEIGHT_RANGE),
    ("birth_weight_kg", "10", "Pastikan jumlah angka sebelum desimal pada bilangan tidak memiliki lebih dari 1 angka."),
    ("birth_weight_kg", "3,125", "Pastikan jumlah angka pada bilangan tidak melebihi 3 angka."),
    ("birth_weight_kg", "3e0", EXPONENT),
    ("birth_weight_kg", "３,１", OTHER_DIGITS),
]


def expected_text(expected) -> str | None:
    """What the phone must read an accepted number as (Python's ``str()`` of the form's value)."""
    return None if isinstance(expected, str) else str(expected)
