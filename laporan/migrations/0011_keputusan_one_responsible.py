from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('laporan', '0010_keputusan_opd_carry'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='keputusanrakor',
            constraint=models.CheckConstraint(condition=models.Q(('wilayah_pj__isnull', False), ('opd__isnull', False), models.Q(('responsible', ''), _negated=True), _connector='OR'), name='keputusan_has_responsible', violation_error_message='Pilih penanggung jawab: OPD atau wilayah.'),
        ),
        migrations.AddConstraint(
            model_name='keputusanrakor',
            constraint=models.CheckConstraint(condition=models.Q(('wilayah_pj__isnull', True), ('opd__isnull', True), _connector='OR'), name='keputusan_one_responsible', violation_error_message='Pilih salah satu penanggung jawab: OPD atau wilayah, bukan keduanya.'),
        ),
    ]
