"""The 12-month sums per posyandu (``w12:`` rows, laporan.rekap.WINDOW_MEASURES) for the months
already held; from here on the refresh keeps them."""

from django.db import migrations

WINDOW_MEASURES = (
    "balita_d", "balita_s", "idl", "baduta_12_23", "kegiatan_pendidikan", "kegiatan_sosial",
    "kegiatan_perumahan_rakyat", "kegiatan_pekerjaan_umum", "kegiatan_trantibum_linmas",
)  # fmt: skip
MEASURES = ", ".join(f"'{code}'" for code in WINDOW_MEASURES)

SUM_WINDOWS = f"""
INSERT INTO laporan_rekapbulanan (posyandu_id, desa_code, month, measure, value, computed_on)
SELECT r.posyandu_id, r.desa_code, h.month, 'w12:' || r.measure, SUM(r.value), CURRENT_DATE
FROM laporan_rekapbulan h
JOIN laporan_rekapbulanan r ON r.month > h.month - interval '12 months' AND r.month <= h.month
WHERE r.measure IN ({MEASURES})
GROUP BY r.posyandu_id, r.desa_code, h.month, r.measure
"""  # noqa: S608 - constants only


class Migration(migrations.Migration):
    dependencies = [("laporan", "0005_rekap_kecamatan")]

    operations = [
        migrations.RunSQL(SUM_WINDOWS, "DELETE FROM laporan_rekapbulanan WHERE measure LIKE 'w12:%%'"),
    ]
