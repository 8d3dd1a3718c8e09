"""The opening day without signal (issue 16): record on the phone, reload, close the browser, send once.

Headless Chromium with its network switched off by Playwright. A persistent profile (a user data
directory) is closed and opened again, as a phone's browser is, so IndexedDB, the service worker and
its cache survive as they would on the phone.
"""

import datetime
import json
import random
from decimal import Decimal

import pytest
from playwright import sync_api

from layanan import growth, services
from layanan.models import Kunjungan
from posyandu import dates
from posyandu.models import BulanTerkunci, Sex, Warga
from tests.browser.helpers import (
    PHONE,
    assert_no_horizontal_scroll,
    log_in,
    screenshot,
)
from tests.layanan.conftest import person

expect = sync_api.expect

pytestmark = pytest.mark.browser

DAY = datetime.date(2026, 3, 10)


def _open_offline_page(page, base_url, hari_buka):
    page.goto(f"{base_url}/kesehatan/offline/?hari_buka={hari_buka.pk}")
    expect(page.locator("body[data-ready='1']")).to_be_attached()
    # The service worker installed (the page and its files cached) and in control of the page.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
        expect(page.locator("body[data-ready='1']")).to_be_attached()


def _record(page, name, shot=None, **values):
    page.locator("[data-person]", has_text=name).get_by_role("button").click()
    for label, value in values.items():
        page.locator(f"#f-{label}").fill(value)
    if shot:
        screenshot(page, f"{shot}_entry_360.png")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("[data-saved]")).to_be_visible()
    if shot:
        screenshot(page, f"{shot}_result_360.png")
    page.get_by_role("button", name="Kembali ke daftar").click()


def _offline_day(world, live_server, phone, *, offline=True):
    """Today's opening day at posyandu A, opened on the kader's phone (then, unless told, the signal cut):
    (the opening day, the phone's browser context, its page, the page's script errors)."""
    hari_buka = services.hari_buka_open(posyandu=world.posyandu_a, date=DAY, user=world.users["kader_a"])
    context = phone()
    page = context.pages[0] if context.pages else context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    log_in(page, live_server.url, "kader_a")
    _open_offline_page(page, live_server.url, hari_buka)
    if offline:
        context.set_offline(True)
    return hari_buka, context, page, problems


def _blank_offline_app(live_server, new_page):
    """The offline app's page on a phone, ready (its WHO tables and words loaded), no opening day."""
    page = new_page(PHONE)
    log_in(page, live_server.url, "kader_a")
    page.goto(live_server.url + "/kesehatan/offline/")
    expect(page.locator("body[data-ready='1']")).to_be_attached()
    return page


def _balita(world, count):
    names = []
    for index in range(count):
        birth = DAY - datetime.timedelta(days=200 + 90 * index)
        warga = person(
            world.posyandu_a, f"Balita {index:02d}", sex=Sex.LAKI_LAKI if index % 2 else Sex.PEREMPUAN, birth_date=birth
        )
        names.append(warga.name)
    return names


def test_a_whole_opening_day_offline_arrives_exactly_once(transactional_db, world, live_server, phone):
    names = _balita(world, 10)
    mother = person(world.posyandu_a, "Ibu Sari", birth_date=datetime.date(1996, 4, 4))
    services.kehamilan_register(mother=mother, registered_on=datetime.date(2026, 1, 5), hpht=datetime.date(2025, 12, 1))
    hari_buka, context, page, problems = _offline_day(world, live_server, phone, offline=False)
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")

    context.set_offline(True)
    for index, name in enumerate(names):
        _record(
            page,
            name,
            shot="offline" if index == 1 else None,
            weight_kg=f"{7 + index * 0.8:.1f}".replace(".", ","),
            height_cm=f"{66 + index * 3}",
        )
    _record(page, "Ibu Sari", weight_kg="55", muac_cm="24")
    # A baby born last week, registered on the phone with its mother, then weighed.
    page.locator("#new-person").click()
    page.locator("#n-name").fill("Bayi Ny. Sari")
    page.locator("#n-sex").select_option("P")
    page.locator("#n-birth_date").fill("2026-03-03")
    page.locator("#n-mother").select_option(label="Ibu Sari")
    page.locator("#n-birth_weight_kg").fill("3,1")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Bayi Ny. Sari")).to_be_visible()
    page.locator("#f-weight_kg").fill("3,3")
    page.locator("#f-height_cm").fill("50")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("[data-saved]")).to_be_visible()
    page.get_by_role("button", name="Kembali ke daftar").click()
    expect(page.locator("#outbox-count")).to_have_text("13 belum terkirim")  # 12 visits and 1 new person
    expect(page.locator("#net-status")).to_have_text("Tanpa sinyal: catatan disimpan di HP")
    screenshot(page, "offline_roster_360.png")
    assert Kunjungan.objects.count() == 0

    page.reload()  # offline: the service worker serves the page, the roster and outbox come from the phone
    expect(page.locator("#outbox-count")).to_have_text("13 belum terkirim")
    expect(page.locator("[data-person][data-state='pending']")).to_have_count(12)
    outbox = page.evaluate("PosyanduStore.outbox()")
    context.close()

    context = phone()  # the browser closed and opened again, still without signal
    context.set_offline(True)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{live_server.url}/kesehatan/offline/?hari_buka={hari_buka.pk}")
    expect(page.locator("#outbox-count")).to_have_text("13 belum terkirim")

    context.set_offline(False)  # the signal returns: the "online" event sends the outbox
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    expect(page.locator("#last-sync")).to_contain_text("Terakhir kirim")
    visits = Kunjungan.objects.filter(hari_buka=hari_buka)
    assert visits.count() == 12
    baby = Warga.objects.get(name="Bayi Ny. Sari")
    assert baby.mother == mother and str(baby.client_id) in {r["id"] for r in outbox if r["type"] == "warga"}
    assert {str(v.client_id) for v in visits} == {r["id"] for r in outbox if r["type"] == "kunjungan"}
    assert visits.filter(stage="ibu_hamil").count() == 1
    assert visits.get(warga=baby).weight_kg == Decimal("3.3")

    # The same outbox sent again (a phone that never heard the answer): the same answers, no new rows.
    answers = page.evaluate(
        """async (records) => {
            const session = await (await fetch("/kesehatan/offline/sesi/")).json();
            const response = await fetch("/kesehatan/offline/kirim/", {method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRFToken": session.csrf},
                body: JSON.stringify({records: records.map(({id, type, hari_buka, warga, warga_client, data}) =>
                    ({id, type, hari_buka, warga, warga_client, data}))})});
            return (await response.json()).results.map((r) => r.status);
        }""",
        sorted(outbox, key=lambda r: r["type"] != "warga"),
    )
    assert answers == ["already"] * 13
    assert Kunjungan.objects.filter(hari_buka=hari_buka).count() == 12
    assert Warga.objects.filter(name="Bayi Ny. Sari").count() == 1
    assert problems == []


def test_a_month_approved_meanwhile_is_shown_as_a_refusal_and_can_be_discarded(
    transactional_db, world, live_server, phone
):
    [name] = _balita(world, 1)
    _hari_buka, context, page, _problems = _offline_day(world, live_server, phone)
    _record(page, name, weight_kg="8,1")
    BulanTerkunci.objects.create(posyandu=world.posyandu_a, month=datetime.date(2026, 3, 1))
    context.set_offline(False)
    refusal = page.locator("[data-refusal]")
    expect(refusal).to_contain_text("Maret 2026")
    expect(refusal).to_have_attribute("data-code", "month_locked")
    expect(page.locator("#outbox-count")).to_have_text("1 belum terkirim")
    screenshot(page, "offline_refusal_360.png")
    page.once("dialog", lambda dialog: dialog.accept())
    refusal.get_by_role("button", name="Buang").click()
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    assert not Kunjungan.objects.exists()


def test_an_expired_session_keeps_the_outbox_and_sending_continues_after_signing_in(
    transactional_db, world, live_server, phone
):
    [name] = _balita(world, 1)
    hari_buka, context, page, _problems = _offline_day(world, live_server, phone)
    _record(page, name, weight_kg="8,1")
    context.clear_cookies()  # the session expired while the phone was offline
    context.set_offline(False)
    expect(page.get_by_role("link", name="Masuk lagi")).to_be_visible()
    expect(page.locator("#outbox-count")).to_have_text("1 belum terkirim")
    page.get_by_role("link", name="Masuk lagi").click()
    log_in(page, live_server.url, "kader_a")  # back on the offline page, which sends at once
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    assert Kunjungan.objects.filter(hari_buka=hari_buka).count() == 1


def test_a_sync_cut_off_halfway_or_refused_by_a_server_error_keeps_the_outbox_and_stores_once(
    transactional_db, world, live_server, phone
):
    """The answer is lost after the server stored the records (the connection drops on the way
    back), then the server fails (500): the phone keeps every record and says so; the next send
    stores nothing twice and empties the outbox."""
    names = _balita(world, 3)
    hari_buka, context, page, _problems = _offline_day(world, live_server, phone)
    for index, name in enumerate(names):
        _record(page, name, weight_kg=f"{8 + index},2", height_cm="70")
    expect(page.locator("#outbox-count")).to_have_text("3 belum terkirim")

    def cut_off(route):
        route.fetch()  # the server receives the batch and stores it ...
        route.abort("connectionreset")  # ... and the answer never reaches the phone

    page.route("**/kesehatan/offline/kirim/", cut_off)
    context.set_offline(False)
    expect(page.locator("#notice")).to_contain_text("Gagal mengirim: sambungan terputus.")
    expect(page.locator("#outbox-count")).to_have_text("3 belum terkirim")
    assert Kunjungan.objects.filter(hari_buka=hari_buka).count() == 3  # stored, the phone does not know
    page.unroute("**/kesehatan/offline/kirim/")

    page.route("**/kesehatan/offline/kirim/", lambda route: route.fulfill(status=500, body="Server Error"))
    page.get_by_role("button", name="Kirim sekarang").click()
    expect(page.locator("#notice")).to_contain_text("Gagal mengirim: server sedang bermasalah.")
    expect(page.locator("#outbox-count")).to_have_text("3 belum terkirim")
    screenshot(page, "offline_send_failed_360.png")
    page.unroute("**/kesehatan/offline/kirim/")

    page.get_by_role("button", name="Kirim sekarang").click()
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    expect(page.locator("#notice")).to_be_empty()
    visits = Kunjungan.objects.filter(hari_buka=hari_buka)
    assert visits.count() == 3
    assert sorted(v.weight_kg for v in visits) == [Decimal("8.2"), Decimal("9.2"), Decimal("10.2")]


def test_the_phones_z_scores_match_layanan_growth_for_150_cases(transactional_db, world, live_server, new_page):
    page = _blank_offline_app(live_server, new_page)
    rng = random.Random(16)
    cases = []
    for _ in range(150):
        age = rng.choice([0, 1, 30, 365, 730, 731, 732, 1000, 1826, rng.randint(0, 1826), rng.randint(0, 1826)])
        median_kg = float(growth.age_lms("wfa", "L", age)[1])
        median_cm = float(growth.age_lms("lhfa", "L", age)[1])
        weight = Decimal(str(round(median_kg * rng.uniform(0.45, 1.8), 2)))
        height = Decimal(str(round(median_cm * rng.uniform(0.8, 1.15), 1)))
        cases.append(
            {
                "sex": rng.choice("LP"),
                "ageDays": age,
                "weight": str(weight),
                "height": str(height) if rng.random() > 0.1 else "",
                "position": rng.choice(["", "L", "H"]),
            }
        )
    phone_results = page.evaluate(
        """async (cases) => {
            const who = await (await fetch("/kesehatan/offline/who/")).json();
            return cases.map((c) => PosyanduGrowth.balitaGrowth(who, c));
        }""",
        cases,
    )
    compared = 0
    for case, result in zip(cases, phone_results, strict=True):
        birth = DAY - datetime.timedelta(days=case["ageDays"])
        server = growth.balita_growth(
            sex=case["sex"],
            birth_date=birth,
            measured_on=DAY,
            weight_kg=Decimal(case["weight"]),
            height_cm=Decimal(case["height"]) if case["height"] else None,
            position=case["position"] or None,
        )
        for index in ("wfa", "lhfa", "wflh", "bmi"):
            expected = getattr(server, f"z_{index}")
            got = result["z"][index]
            assert (expected is None) == (got is None), (case, index, expected, got)
            if expected is not None:
                assert abs(float(expected) - got) <= 0.01 + 1e-9, (case, index, expected, got)
                assert result["cat"][index] == getattr(server, f"cat_{index}"), (case, index)
                compared += 1
        assert sorted(result["implausible"]) == sorted(server.implausible), case
    assert compared >= 300
    print(json.dumps({"cases": len(cases), "z_scores_compared": compared}))


def test_the_phones_words_for_an_implausible_value_match_layanan_growth_for_150_cases(
    transactional_db, world, live_server, new_page
):
    """The phone explains an implausible value with the online entry screen's sentences, the same to the
    letter (its words served by the server, growth.IMPLAUSIBLE_WORDS), and the same z-scores for staff."""
    page = _blank_offline_app(live_server, new_page)
    rng = random.Random(1616)
    cases = []
    for _ in range(150):
        age = rng.choice([0, 30, 365, 366, 730, 731, 1000, 1826, rng.randint(0, 1826), rng.randint(0, 1826)])
        median_kg = float(growth.age_lms("wfa", "L", age)[1])
        median_cm = float(growth.age_lms("lhfa", "L", age)[1])
        birth = DAY - datetime.timedelta(days=age)
        cases.append(
            {
                "sex": rng.choice("LP"),
                "ageDays": age,
                "ageMonths": dates.months_between(birth, DAY),
                "weight": str(
                    Decimal(str(round(median_kg * rng.choice([0.2, 0.3, 1, 2.5, 3.5, rng.uniform(0.2, 3.5)]), 2)))
                ),
                "height": str(Decimal(str(round(median_cm * rng.uniform(0.55, 1.6), 1)))) if rng.random() > 0.2 else "",
                "position": rng.choice(["", "L", "H"]),
            }
        )
    phone = page.evaluate(
        """async (cases) => {
            const who = await (await fetch("/kesehatan/offline/who/")).json();
            const T = JSON.parse(document.getElementById("offline-strings").textContent);
            return cases.map((c) => {
                const result = PosyanduGrowth.balitaGrowth(who, c);
                return {
                    advice: PosyanduGrowth.implausibleAdvice(who, T.implausible, T.ages, result, c),
                    staff: result.implausible.length
                        ? PosyanduGrowth.implausibleZText(T.implausible, T.indices, result) : "",
                };
            });
        }""",
        cases,
    )
    flagged = 0
    for case, got in zip(cases, phone, strict=True):
        weight, height = Decimal(case["weight"]), Decimal(case["height"]) if case["height"] else None
        server = growth.balita_growth(
            sex=case["sex"],
            birth_date=DAY - datetime.timedelta(days=case["ageDays"]),
            measured_on=DAY,
            weight_kg=weight,
            height_cm=height,
            position=case["position"] or None,
        )
        advice = growth.implausible_advice(
            server, sex=case["sex"], age_months=case["ageMonths"], weight_kg=weight, height_cm=height
        )
        assert got["advice"] == advice, case
        assert got["staff"] == (growth.implausible_z_text(server) if server.implausible else ""), case
        flagged += bool(server.implausible)
    assert flagged >= 100  # most cases are implausible: the words are what is compared
    print(json.dumps({"cases": len(cases), "implausible": flagged}))


def test_offline_an_implausible_weight_is_explained_in_words_a_kader_can_act_on(
    transactional_db, world, live_server, phone
):
    """30 kg for a one-year-old, typed without signal: the phone says what the online screen says
    ("30 kg tidak mungkin untuk anak 12 bulan … — timbang ulang"), not z-scores; confirmed, it is sent."""
    child = person(
        world.posyandu_a, "Rafi Anak Setahun", sex=Sex.LAKI_LAKI, birth_date=DAY - datetime.timedelta(days=366)
    )
    hari_buka, context, page, _problems = _offline_day(world, live_server, phone)
    page.locator("[data-person]", has_text=child.name).get_by_role("button").click()
    page.locator("#f-weight_kg").fill("30")
    page.get_by_role("button", name="Simpan").click()
    warning = page.locator("[data-implausible]")
    expect(warning).to_be_visible()
    server = growth.balita_growth(sex="L", birth_date=child.birth_date, measured_on=DAY, weight_kg=Decimal(30))
    [sentence] = growth.implausible_advice(server, sex="L", age_months=12, weight_kg=Decimal(30), height_cm=None)
    assert sentence.startswith("30 kg tidak mungkin untuk anak 12 bulan (biasanya") and "timbang ulang" in sentence
    lead = warning.locator("p.fw-semibold")
    expect(lead).to_have_text([sentence])  # the kader's words first, no z-score in them
    expect(warning).to_contain_text("centang konfirmasi di bawah")
    expect(warning.locator("p.small")).to_have_text(growth.implausible_z_text(server))
    expect(page.locator("[data-saved]")).to_have_count(0)  # nothing kept until re-weighed or confirmed
    screenshot(page, "offline_implausible_360.png")
    for width in (1024, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"offline_implausible_{width}.png")
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page, PHONE["width"])

    page.get_by_label("Sudah diukur ulang: nilainya memang benar").check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("[data-saved]")).to_be_visible()
    page.get_by_role("button", name="Kembali ke daftar").click()
    context.set_offline(False)
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    visit = Kunjungan.objects.get(hari_buka=hari_buka)
    assert visit.weight_kg == 30 and visit.implausible == ["wfa"]


_COUNT_STORES = """() => new Promise((resolve, reject) => {
    const request = indexedDB.open("posyandu-offline");
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
        const db = request.result;
        const tx = db.transaction(["days", "outbox"]);
        const days = tx.objectStore("days").count();
        const outbox = tx.objectStore("outbox").count();
        tx.oncomplete = () => resolve({days: days.result, outbox: outbox.result});
    };
})"""


def test_signing_out_clears_the_roster_from_the_phone_but_keeps_the_unsent_outbox(
    transactional_db, world, live_server, phone
):
    _balita(world, 2)
    hari_buka = services.hari_buka_open(posyandu=world.posyandu_a, date=DAY, user=world.users["kader_a"])
    context = phone()
    page = context.pages[0] if context.pages else context.new_page()
    log_in(page, live_server.url, "kader_a")
    _open_offline_page(page, live_server.url, hari_buka)
    # A record the server refused earlier, waiting for the kader's decision (not sent again by itself).
    page.evaluate(
        """(day) => PosyanduStore.put({id: PosyanduStore.newId(), hari_buka: day, warga: 1, name: "X",
            data: {}, status: "refused", refusal: {code: "invalid", message: "-", errors: {}}})""",
        hari_buka.pk,
    )
    assert page.evaluate(_COUNT_STORES) == {"days": 1, "outbox": 1}
    for width in (1024, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"offline_roster_{width}.png")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + hari_buka.get_absolute_url())  # the way in: "Siapkan untuk offline"
    expect(page.get_by_role("link", name="Siapkan untuk offline")).to_be_visible()
    for width in (360, 1024, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"hari_buka_offline_link_{width}.png")
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/")
    page.locator("form[action='/akun/keluar/']").evaluate("form => form.submit()")
    page.wait_for_url(lambda url: "/akun/keluar/" in url or "/akun/masuk/" in url)
    assert page.evaluate(_COUNT_STORES) == {"days": 0, "outbox": 1}


def test_a_roster_older_than_the_setting_is_dropped_on_opening(transactional_db, world, live_server, new_page):
    _balita(world, 1)
    hari_buka = services.hari_buka_open(posyandu=world.posyandu_a, date=DAY, user=world.users["kader_a"])
    page = new_page(PHONE)
    log_in(page, live_server.url, "kader_a")
    page.goto(f"{live_server.url}/kesehatan/offline/?hari_buka={hari_buka.pk}")
    expect(page.locator("body[data-ready='1']")).to_be_attached()
    assert page.evaluate(_COUNT_STORES)["days"] == 1
    page.evaluate(
        """async (id) => { const day = await PosyanduStore.day(id);
            day.savedAt -= 3 * 86400000; await PosyanduStore.saveDay(day); }""",  # taken three days ago
        hari_buka.pk,
    )
    page.goto(f"{live_server.url}/kesehatan/offline/")  # OFFLINE_ROSTER_DAYS = 2
    expect(page.locator("body[data-ready='1']")).to_be_attached()
    expect(page.get_by_text("Belum ada hari buka di HP ini")).to_be_visible()
    assert page.evaluate(_COUNT_STORES)["days"] == 0
