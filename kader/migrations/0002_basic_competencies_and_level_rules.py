"""The 25 basic health competencies of a kader in 5 groups (Kemenkes 2023, domain.md §5) and the
Purwa / Madya / Utama rules, as data. The wording of the competencies is a summary (unverified
against the Kemenkes module); admins can rename them, deactivate them or add non-health ones.

Purwa: pengelolaan posyandu + bayi & balita + one more group complete (domain.md §5).
Madya: the same two groups + four groups complete in all (our reading; change the row if your
kabupaten differs). Utama: all five groups, all 25 competencies.
"""

from django.db import migrations

GROUPS = [
    (
        "pengelolaan",
        "Pengelolaan posyandu",
        [
            "Mengelola Posyandu ILP (persiapan, lima langkah hari buka, evaluasi)",
            "Melakukan kunjungan rumah",
            "Melakukan pencatatan dan pelaporan (termasuk digital)",
            "Melakukan komunikasi antar pribadi (KAP) dan penyuluhan",
        ],
    ),
    (
        "ibu-hamil",
        "Ibu hamil dan menyusui",
        [
            "Menjelaskan penggunaan Buku KIA bagi ibu hamil, nifas dan menyusui",
            "Menimbang berat badan dan mengukur LiLA ibu hamil",
            "Menjelaskan pemeriksaan kehamilan (ANC), tablet tambah darah dan gizi ibu hamil",
            "Mengenali tanda bahaya kehamilan, persalinan dan nifas serta merujuk",
            "Menjelaskan persalinan di fasilitas kesehatan, IMD dan ASI eksklusif",
            "Menjelaskan KB pasca persalinan dan kelas ibu hamil",
        ],
    ),
    (
        "bayi-balita",
        "Bayi dan balita",
        [
            "Menjelaskan penggunaan Buku KIA untuk bayi dan balita",
            "Menimbang dan mengukur panjang/tinggi badan, lingkar kepala dan LiLA balita",
            "Menilai pertumbuhan (naik / tidak naik) dan mengisi grafik KMS",
            "Menjelaskan ASI eksklusif dan MP-ASI",
            "Menjelaskan imunisasi rutin lengkap",
            "Menjelaskan vitamin A, obat cacing dan pemantauan perkembangan",
            "Mengenali tanda bahaya bayi dan balita sakit (diare, pneumonia) serta merujuk",
        ],
    ),
    (
        "remaja",
        "Usia sekolah dan remaja",
        [
            "Mengukur berat, tinggi badan dan lingkar perut, menghitung IMT",
            "Menjelaskan anemia, tablet tambah darah remaja putri dan gizi seimbang",
            "Menjelaskan kesehatan reproduksi, bahaya merokok dan NAPZA, serta skrining kesehatan jiwa",
        ],
    ),
    (
        "dewasa-lansia",
        "Usia produktif dan lansia",
        [
            "Mengukur berat, tinggi badan, lingkar perut dan tekanan darah",
            "Menjelaskan faktor risiko penyakit tidak menular dan pemeriksaan gula darah",
            "Mengenali gejala TBC dan PPOK (PUMA) serta merujuk",
            "Menjelaskan pelayanan KB bagi pasangan usia subur",
            "Menilai kemandirian lansia (AKS) dan skrining lansia (SKILAS)",
        ],
    ),
]
CODE_PREFIX = {"pengelolaan": "PP", "ibu-hamil": "IH", "bayi-balita": "BB", "remaja": "UR", "dewasa-lansia": "UL"}

RULES = [
    ("purwa", 1, ["pengelolaan", "bayi-balita"], 3, 0, "Pengelolaan posyandu, bayi dan balita, dan satu kelompok lain."),
    ("madya", 2, ["pengelolaan", "bayi-balita"], 4, 0, "Pengelolaan posyandu, bayi dan balita, dan dua kelompok lain."),
    ("utama", 3, [], 5, 25, "Kelima kelompok, seluruh 25 kompetensi dasar."),
]


def load(apps, schema_editor):
    Group = apps.get_model("kader", "KompetensiGroup")
    Kompetensi = apps.get_model("kader", "Kompetensi")
    LevelRule = apps.get_model("kader", "LevelRule")
    groups = {}
    for order, (code, name, items) in enumerate(GROUPS, start=1):
        group, _created = Group.objects.update_or_create(
            code=code, defaults={"name": name, "field": "kesehatan", "counts_for_level": True, "order": order}
        )
        groups[code] = group
        for number, item in enumerate(items, start=1):
            Kompetensi.objects.update_or_create(
                code=f"{CODE_PREFIX[code]}{number}", defaults={"group": group, "name": item, "order": number}
            )
    for level, rank, required, min_groups, min_items, description in RULES:
        rule, _created = LevelRule.objects.update_or_create(
            level=level,
            defaults={
                "rank": rank,
                "min_complete_groups": min_groups,
                "min_competencies": min_items,
                "description": description,
            },
        )
        rule.required_groups.set([groups[code] for code in required])


def unload(apps, schema_editor):
    apps.get_model("kader", "LevelRule").objects.all().delete()
    apps.get_model("kader", "Kompetensi").objects.filter(code__regex=r"^(PP|IH|BB|UR|UL)\d$").delete()
    apps.get_model("kader", "KompetensiGroup").objects.filter(code__in=CODE_PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [("kader", "0001_kader_training_competencies")]

    operations = [migrations.RunPython(load, unload)]
