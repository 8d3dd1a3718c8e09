"""The offline opening day under a kader's (and a hostile tester's) hands (issue 16): the roster search
finds by name, mother's name and Buku KIA number without signal; a double tap, a second entry of the
same child, a reload in the middle of sending and digits of other scripts never cost a record or make
a second one."""

import datetime
from decimal import Decimal

import pytest
from playwright import sync_api

from layanan.models import Kunjungan
from posyandu.models import Sex, Warga
from tests.browser.helpers import screenshot, wait_until
from tests.browser.test_offline import DAY, _balita, _offline_day, _record
from tests.layanan.conftest import person

expect = sync_api.expect

pytestmark = pytest.mark.browser

NIK = "7305014101250001"  # a NIK that must never reach the phone


def _shown(page):
    return [text.strip() for text in page.locator("[data-person] .fw-semibold").all_inner_texts()]


def _expect_shown(page, names):
    """The roster shows exactly these names, once the search has drawn it again (it redraws after reading
    the phone's storage, a moment after the keystroke: a plain look right after ``fill`` may still see
    the previous search's result)."""
    expect(page.locator("[data-person] .fw-semibold")).to_have_text(names)


def test_offline_the_roster_search_finds_by_name_mothers_name_and_kia_number_and_the_phone_holds_no_nik(
    transactional_db, world, live_server, phone
):
    mother = person(world.posyandu_a, "Siti Aminah", birth_date=datetime.date(1995, 7, 1))
    person(world.posyandu_a, "Rahmat Hidayat", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 8, 1), mother=mother)
    person(world.posyandu_a, "Bunga Lestari", birth_date=datetime.date(2024, 7, 1), mother_name="Ibu Rina")
    person(
        world.posyandu_a,
        "Cahya Dewi",
        birth_date=datetime.date(2025, 1, 1),
        mother_name="Ibu Wati",
        kia_number="KIA-0457",
        nik=NIK,
    )
    hari_buka, _context, page, problems = _offline_day(world, live_server, phone)
    search = page.get_by_label("Cari nama, nama ibu, atau nomor KIA")
    expect(page.locator("[data-person]")).to_have_count(4)
    search.fill("rahmat")
    expect(page.locator("[data-person]")).to_have_count(1)
    search.fill("SITI")  # the mother's name finds her child, and herself
    expect(page.locator("[data-person]")).to_have_count(2)
    assert sorted(_shown(page)) == ["Rahmat Hidayat", "Siti Aminah"]
    search.fill("kia-0457")  # the number on the Buku KIA, as the kader reads it off the cover
    _expect_shown(page, ["Cahya Dewi"])
    expect(page.locator("[data-person]")).to_contain_text("KIA KIA-0457")
    screenshot(page, "offline_search_kia_360.png")
    search.fill("  ibu   rina ")  # spaces as a thumb types them
    _expect_shown(page, ["Bunga Lestari"])
    search.fill("0457")
    _expect_shown(page, ["Cahya Dewi"])
    search.fill(NIK[-8:])  # the NIK is not on the phone, so it finds nobody
    expect(page.locator("[data-person]")).to_have_count(0)
    stored = page.evaluate("async (id) => JSON.stringify(await PosyanduStore.day(id))", hari_buka.pk)
    assert "KIA-0457" in stored
    assert NIK not in stored and NIK[-8:] not in stored and '"nik"' not in stored.lower()
    assert problems == []


def test_offline_a_double_tap_on_simpan_keeps_one_record_and_next_skips_who_is_kept(
    transactional_db, world, live_server, phone
):
    names = _balita(world, 3)
    hari_buka, context, page, problems = _offline_day(world, live_server, phone)
    page.locator("[data-person]", has_text=names[0]).get_by_role("button").click()
    page.locator("#f-weight_kg").fill("8,1")
    page.get_by_role("button", name="Simpan").dblclick()
    expect(page.locator("[data-saved]")).to_be_visible()
    assert len(page.evaluate("PosyanduStore.outbox()")) == 1
    # "Berikutnya" goes on to the next child not yet kept, round the roster, never back to one kept.
    seen = {names[0]}
    for _ in range(2):
        next_button = page.get_by_role("button", name="Berikutnya")
        following = next_button.inner_text().split(": ", 1)[1]
        assert following not in seen
        seen.add(following)
        next_button.click()
        page.locator("#f-weight_kg").fill("9")
        # Two submissions in the same instant (Enter and a tap, a phone that lags): still one record.
        page.locator("#entry-form").evaluate("form => { form.requestSubmit(); form.requestSubmit(); }")
        expect(page.locator("[data-saved]")).to_be_visible()
    expect(page.get_by_role("button", name="Berikutnya")).to_have_count(0)  # everyone is kept
    assert len(page.evaluate("PosyanduStore.outbox()")) == 3
    page.get_by_role("button", name="Kembali ke daftar").click()
    expect(page.locator("#outbox-count")).to_have_text("3 belum terkirim")
    context.set_offline(False)
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    expect(page.locator("[data-refusal]")).to_have_count(0)
    assert Kunjungan.objects.filter(hari_buka=hari_buka).count() == 3
    assert problems == []


def test_offline_a_reload_in_the_middle_of_sending_stores_each_record_once(transactional_db, world, live_server, phone):
    names = _balita(world, 3)
    hari_buka, context, page, problems = _offline_day(world, live_server, phone)
    for index, name in enumerate(names):
        _record(page, name, weight_kg=f"{8 + index},4")
    stalled = []

    def stall(route):
        route.fetch()  # the server stores the batch; the answer is held back ...
        stalled.append(route)  # ... while the kader reloads the page

    page.route("**/kesehatan/offline/kirim/", stall)
    context.set_offline(False)
    for _ in range(100):
        if stalled:
            break
        page.wait_for_timeout(100)
    assert stalled and Kunjungan.objects.filter(hari_buka=hari_buka).count() == 3
    page.unroute("**/kesehatan/offline/kirim/")
    page.reload()
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    expect(page.locator("[data-refusal]")).to_have_count(0)
    expect(page.locator("[data-person][data-state='done']")).to_have_count(3)
    visits = Kunjungan.objects.filter(hari_buka=hari_buka)
    assert sorted(v.weight_kg for v in visits) == [Decimal("8.4"), Decimal("9.4"), Decimal("10.4")]
    assert [p for p in problems if "Failed to fetch" not in p] == []


def test_offline_a_weight_in_other_digits_is_refused_at_once_in_the_online_forms_words(
    transactional_db, world, live_server, phone
):
    """One opening day for the three spellings (each one's offline day cost a few seconds of set-up)."""
    [name] = _balita(world, 1)
    hari_buka, context, page, _problems = _offline_day(world, live_server, phone)
    page.locator("[data-person]", has_text=name).get_by_role("button").click()
    feedback = page.locator("#f-weight_kg + .invalid-feedback")
    for typed, words in (
        ("٨,٥", "Tulis angka dengan angka biasa 0–9 (angka lebar atau Arab tidak diterima)."),
        ("８,５", "Tulis angka dengan angka biasa 0–9 (angka lebar atau Arab tidak diterima)."),
        ("8٫5", "Masukkan angka, misalnya 8,5."),  # the Arabic decimal sign is not a digit: not a number
    ):
        page.locator("#f-weight_kg").fill(typed)
        page.get_by_role("button", name="Simpan").click()
        expect(feedback).to_have_text(words)
        expect(page.locator("[data-saved]")).to_have_count(0)
        assert page.evaluate("PosyanduStore.outbox()") == [], typed
        if typed == "٨,٥":
            screenshot(page, "offline_other_digits_360.png")
    page.locator("#f-weight_kg").fill("8,5")
    page.locator("#f-height_cm").fill("70,25")  # one decimal for a length, as online
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#f-height_cm + .invalid-feedback")).to_have_text("Paling banyak 1 angka di belakang koma.")
    expect(page.locator("#f-weight_kg + .invalid-feedback")).to_have_count(0)
    page.locator("#f-height_cm").fill("70,2")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("[data-saved]")).to_be_visible()
    context.set_offline(False)
    page.get_by_role("button", name="Kembali ke daftar").click()
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    assert Kunjungan.objects.get(hari_buka=hari_buka).weight_kg == Decimal("8.5")


def test_offline_the_page_reloaded_without_signal_keeps_its_own_styles(transactional_db, world, live_server, phone):
    """offline.css (the roster's 48 px touch targets) was not among the service worker's files: reloaded
    without signal and without the browser's HTTP cache (a phone evicts it), the roster lost its spacing."""
    _balita(world, 1)
    _hari_buka, _context, page, _problems = _offline_day(world, live_server, phone)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.reload()
    expect(page.locator("[data-person]")).to_have_count(1)
    # Polled: the roster may be drawn again (its data read anew) while the style is read.
    expect(page.locator("[data-person]")).to_have_css("min-height", "56px")
    expect(page.locator("[data-person] .btn-person")).to_have_css("min-height", "48px")


def test_offline_a_newborn_registered_with_a_double_tap_is_one_person_and_its_birth_weight_is_checked(
    transactional_db, world, live_server, phone
):
    mother = person(world.posyandu_a, "Ibu Sari", birth_date=datetime.date(1996, 4, 4))
    hari_buka, context, page, problems = _offline_day(world, live_server, phone)
    page.locator("#new-person").click()
    page.locator("#n-name").fill("Bayi Ny. Sari")
    page.locator("#n-birth_date").fill("2026-03-03")
    page.locator("#n-mother").select_option(label=mother.name)
    page.locator("#n-birth_weight_kg").fill("３,１")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#n-birth_weight_kg + .invalid-feedback")).to_have_text(
        "Tulis angka dengan angka biasa 0–9 (angka lebar atau Arab tidak diterima)."
    )
    assert page.evaluate("PosyanduStore.outbox()") == []
    page.locator("#n-birth_weight_kg").fill("3,1")
    page.locator("#new-person-form").evaluate("form => { form.requestSubmit(); form.requestSubmit(); }")
    expect(page.get_by_role("heading", name="Bayi Ny. Sari")).to_be_visible()
    assert len(page.evaluate("PosyanduStore.outbox()")) == 1
    page.get_by_role("button", name="Kembali ke daftar").click()
    expect(page.locator("[data-person]", has_text="Bayi Ny. Sari")).to_have_count(1)
    context.set_offline(False)
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    expect(page.locator("[data-refusal]")).to_have_count(0)
    baby = Warga.objects.get(name="Bayi Ny. Sari", posyandu=hari_buka.posyandu)
    assert baby.mother == mother and baby.birth_weight_kg == Decimal("3.1")
    assert problems == []


def test_offline_a_weight_typed_loosely_is_still_checked_for_plausibility(transactional_db, world, live_server, phone):
    """ "30," (a comma left by the thumb) is 30 kg to the server: the phone once read it as no weight at
    all, kept it without a word and the server refused it on sync as implausible. One opening day for
    the four spellings: a spelling read as no weight would be kept in the outbox."""
    child = person(world.posyandu_a, "Rafi", sex=Sex.LAKI_LAKI, birth_date=DAY - datetime.timedelta(days=366))
    _hari_buka, _context, page, _problems = _offline_day(world, live_server, phone)
    page.locator("[data-person]", has_text=child.name).get_by_role("button").click()
    for typed in ("30,", " 30 ", "30,00", "3 0"):
        page.locator("#f-weight_kg").fill(typed)
        page.get_by_role("button", name="Simpan").click()
        implausible = page.locator("[data-implausible] p.fw-semibold")
        expect(implausible).to_contain_text("30 kg tidak mungkin untuk anak 12 bulan")
        assert page.evaluate("PosyanduStore.outbox()") == [], typed


def test_offline_what_is_typed_before_simpan_survives_a_reload_and_a_closed_browser(
    transactional_db, world, live_server, phone
):
    """A reload (or a closed tab, a flat battery) before Simpan once lost the values typed: the entry
    opens again with them, says so, and Simpan keeps one record; after Simpan nothing is reopened."""
    [name] = _balita(world, 1)
    hari_buka, context, page, _problems = _offline_day(world, live_server, phone)
    page.locator("[data-person]", has_text=name).get_by_role("button").click()
    page.locator("#f-weight_kg").fill("8,5")
    page.locator("#f-height_cm").fill("70,5")
    # Kept as typed, a write to the phone's storage a moment after the keystroke.
    wait_until(
        page, "async () => { const d = await PosyanduStore.meta('draft'); return !!d && d.data.height_cm === '70,5'; }"
    )
    page.reload()  # offline: the service worker serves the page
    expect(page.locator("#f-weight_kg")).to_have_value("8,5")
    expect(page.locator("#f-height_cm")).to_have_value("70,5")
    expect(page.locator("[data-draft]")).to_contain_text("belum disimpan dikembalikan")
    screenshot(page, "offline_draft_restored_360.png")

    context.close()  # the browser closed and opened again: the draft is on the phone
    context = phone()
    page = context.pages[0] if context.pages else context.new_page()
    context.set_offline(True)
    page.goto(f"{live_server.url}/kesehatan/offline/?hari_buka={hari_buka.pk}")
    expect(page.locator("#f-weight_kg")).to_have_value("8,5")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("[data-saved]")).to_be_visible()
    assert len(page.evaluate("PosyanduStore.outbox()")) == 1
    page.reload()
    expect(page.locator("[data-person]")).to_have_count(1)  # the roster, not the entry again
    expect(page.locator("#f-weight_kg")).to_have_count(0)
    context.set_offline(False)
    page.locator("#sync-now").click()
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    assert Kunjungan.objects.get(hari_buka=hari_buka).weight_kg == Decimal("8.5")


def test_offline_kembali_ends_the_draft(transactional_db, world, live_server, phone):
    [name] = _balita(world, 1)
    _hari_buka, _context, page, _problems = _offline_day(world, live_server, phone)
    page.locator("[data-person]", has_text=name).get_by_role("button").click()
    page.locator("#f-weight_kg").fill("8,5")
    page.get_by_role("button", name="Kembali ke daftar").click()
    expect(page.locator("#roster-view")).to_be_visible()  # the roster shows once the draft is ended
    page.reload()
    expect(page.locator("[data-person]")).to_have_count(1)
    expect(page.locator("#f-weight_kg")).to_have_count(0)
    assert page.evaluate("PosyanduStore.outbox()") == []


def test_offline_a_name_typed_fast_into_the_search_shows_each_person_once(transactional_db, world, live_server, phone):
    """Each keystroke drew the roster while the previous drawing still waited on the phone's storage:
    typing "balita 0" quickly showed 48 rows for 6 children."""
    _balita(world, 6)
    _hari_buka, _context, page, problems = _offline_day(world, live_server, phone)
    search = page.locator("#roster-search")
    search.press_sequentially("balita 0", delay=0)
    expect(page.locator("[data-person]")).to_have_count(6)
    page.wait_for_timeout(300)  # every drawing has finished
    expect(page.locator("[data-person]")).to_have_count(6)
    expect(page.locator("#new-person")).to_have_count(1)
    search.fill("")
    search.press_sequentially("03", delay=0)
    expect(page.locator("[data-person]")).to_have_count(1)
    page.wait_for_timeout(300)
    expect(page.locator("[data-person]")).to_have_count(1)
    search.press_sequentially("x", delay=0)  # the online roster's words when nobody matches
    expect(page.locator("[data-no-match]")).to_have_text("Tidak ada yang cocok. Periksa ejaan, atau cari nama ibunya.")
    assert problems == []


def test_offline_an_entry_without_a_draft_shows_no_notice(transactional_db, world, live_server, phone):
    [name] = _balita(world, 1)
    _hari_buka, _context, page, _problems = _offline_day(world, live_server, phone)
    page.locator("[data-person]", has_text=name).get_by_role("button").click()
    expect(page.locator("#f-weight_kg")).to_be_visible()
    expect(page.locator("[data-draft]")).to_have_count(0)
    assert "null" not in page.locator("#entry-view").inner_text()


def test_offline_a_newborn_half_registered_survives_a_reload(transactional_db, world, live_server, phone):
    """The registration of a newborn typed half-way is kept like a visit's values: reloaded, the form
    comes back with them; saved, the baby is one person and the draft is gone."""
    mother = person(world.posyandu_a, "Ibu Sari", birth_date=datetime.date(1996, 4, 4))
    _hari_buka, context, page, _problems = _offline_day(world, live_server, phone)
    page.locator("#new-person").click()
    page.locator("#n-name").fill("Bayi Ny. Sari")
    page.locator("#n-sex").select_option("P")
    page.locator("#n-birth_date").fill("2026-03-03")
    page.locator("#n-mother").select_option(label=mother.name)
    page.locator("#n-birth_weight_kg").fill("3,1")
    wait_until(
        page,
        "async () => { const d = await PosyanduStore.meta('draft'); return !!d && d.data.birth_weight_kg === '3,1'; }",
    )
    page.reload()
    expect(page.locator("[data-draft]")).to_be_visible()
    expect(page.locator("#n-name")).to_have_value("Bayi Ny. Sari")
    expect(page.locator("#n-sex")).to_have_value("P")
    expect(page.locator("#n-birth_date")).to_have_value("2026-03-03")
    expect(page.locator("#n-mother")).to_have_value(str(mother.pk))
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Bayi Ny. Sari")).to_be_visible()
    registrations = [r for r in page.evaluate("PosyanduStore.outbox()") if r["type"] == "warga"]
    assert [r["data"]["birth_weight_kg"] for r in registrations] == ["3,1"]
    assert page.evaluate("PosyanduStore.meta('draft')") is None
    context.set_offline(False)
    page.locator("#sync-now").click()
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    assert Warga.objects.filter(name="Bayi Ny. Sari").count() == 1
