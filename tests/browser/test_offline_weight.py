"""Weight on the wire of the offline opening day (issue 16): the first load, each further person, the upload.

The live test server does not compress static files (whitenoise does in production, from its .gz
files), so each response is counted twice: as the test server sent it, and gzip-compressed (level 6,
what whitenoise and ``gzip_page`` send). The figures are printed; run with ``-s`` to read them.
Bytes, not seconds: a timing belongs in ``make bench``, and an emulated slow line only made this test
wait (it once took 18 s, 10 of them on the emulated line) without asserting anything more.
"""

import datetime
import gzip
import json

import pytest
from playwright import sync_api

from layanan import offline, services
from layanan.models import Kunjungan
from posyandu.models import Sex
from tests.browser.helpers import PHONE, log_in
from tests.layanan.conftest import person

expect = sync_api.expect

pytestmark = pytest.mark.browser

DAY = datetime.date(2026, 3, 10)


def _people(world, count, start=0):
    for index in range(start, start + count):
        birth = DAY - datetime.timedelta(days=40 + 50 * index % 1700)
        person(
            world.posyandu_a,
            f"Anak Nomor {index:03d}",
            sex=Sex.LAKI_LAKI if index % 2 else Sex.PEREMPUAN,
            birth_date=birth,
            mother_name=f"Ibu Nomor {index:03d}",
        )


class Meter:
    """Every response of a page: its path, bytes as sent by the test server, and gzip-compressed."""

    def __init__(self, page):
        self.rows = []
        page.on("requestfinished", self._finished)

    def _finished(self, request):
        response = request.response()
        if response is None:
            return
        try:
            body = response.body()
        except sync_api.Error:
            return
        sizes = request.sizes()  # as on the wire: the body still encoded (gzip) where it was
        headers = sizes["responseHeadersSize"]
        self.rows.append(
            {
                "path": request.url.split("//", 1)[1].split("/", 1)[1],
                "sent": sizes["responseBodySize"] + headers,
                "gzip": min(len(gzip.compress(body, 6)), sizes["responseBodySize"]) + headers,
                "upload": sizes["requestBodySize"] + sizes["requestHeadersSize"],
            }
        )

    def total(self, key, prefix=""):
        return sum(row[key] for row in self.rows if ("/" + row["path"]).startswith(prefix))


def test_first_load_each_person_and_the_upload_of_an_opening_day_fit_the_budget(
    transactional_db, world, live_server, new_page
):
    _people(world, 30)
    hari_buka = services.hari_buka_open(posyandu=world.posyandu_a, date=DAY, user=world.users["kader_a"])
    page = new_page(PHONE)
    log_in(page, live_server.url, "kader_a")
    meter = Meter(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.goto(f"{live_server.url}/kesehatan/offline/?hari_buka={hari_buka.pk}")
    expect(page.locator("body[data-ready='1']")).to_be_attached()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_timeout(500)
    first = {row["path"]: (row["sent"], row["gzip"]) for row in meter.rows}
    first_sent, first_gzip = meter.total("sent"), meter.total("gzip")
    # The WHO tables: fetched once per version (then cached by the service worker and IndexedDB).
    who_gzip = len(gzip.compress(offline._who_tables_json(), 6))
    first_gzip += 0 if any(p.startswith("kesehatan/offline/who/") and g for p, (_s, g) in first.items()) else who_gzip

    # Each further person: the day's data with 30 more people.
    day_30 = next(g for path, (_s, g) in first.items() if "/data/" in path)
    _people(world, 30, start=30)
    response = page.request.get(
        f"{live_server.url}/kesehatan/offline/hari-buka/{hari_buka.pk}/data/", headers={"Accept-Encoding": "gzip"}
    )
    day_60 = len(gzip.compress(response.body(), 6))
    per_person = (day_60 - day_30) / 30
    per_person_raw = len(response.body()) / 60

    # 30 balita recorded offline, then sent: ten through the entry screen (a kader's taps), and the
    # other twenty as the phone keeps them, a record copied for each of them, its measurements confirmed
    # as a kader confirms a re-measured value (the screen's taps cost a second a child here and weigh
    # nothing on the wire).
    page.context.set_offline(True)
    for index in range(10):
        name = f"Anak Nomor {index:03d}"
        page.locator("[data-person]", has_text=name).get_by_role("button").click()
        page.locator("#f-weight_kg").fill("9,5" if index < 7 else "14")
        if page.locator("#f-height_cm").count():
            page.locator("#f-height_cm").fill("75" if index < 7 else "95")
        page.get_by_role("button", name="Simpan").click()
        if page.locator("#f-confirm").count():
            page.locator("#f-confirm").check()
            page.get_by_role("button", name="Simpan").click()
        expect(page.locator("[data-saved]")).to_be_visible()
        page.get_by_role("button", name="Kembali ke daftar").click()
    copied = page.evaluate(
        """async ({ dayId, names }) => {
            const [model] = await PosyanduStore.outbox();
            const day = await PosyanduStore.day(dayId);
            for (const name of names) {
                const person = day.data.people.find((p) => p.name === name);
                await PosyanduStore.put({ ...model, id: PosyanduStore.newId(), warga: person.id, name,
                                          data: { ...model.data, confirm_implausible: "on" }, created: Date.now() });
            }
            return (await PosyanduStore.outbox()).length;
        }""",
        {"dayId": hari_buka.pk, "names": [f"Anak Nomor {index:03d}" for index in range(10, 30)]},
    )
    assert copied == 30
    before = len(meter.rows)
    page.context.set_offline(False)
    page.locator("#sync-now").click()  # the copies were written behind the screen's back: send all
    expect(page.locator("#outbox-count")).to_have_text("Semua terkirim")
    sync_rows = meter.rows[before:]
    upload = sum(row["upload"] for row in sync_rows)
    sync_down = sum(row["gzip"] for row in sync_rows)
    assert Kunjungan.objects.filter(hari_buka=hari_buka).count() == 30

    figures = {
        "first_load_sent_bytes": first_sent,
        "first_load_gzip_bytes": first_gzip,
        "of_which_who_tables_gzip": who_gzip,
        "first_load_gzip_without_who_tables": first_gzip - who_gzip,
        "who_tables_uncompressed": len(offline._who_tables_json()),
        "per_person_gzip_bytes": round(per_person),
        "per_person_json_bytes_uncompressed": round(per_person_raw),
        "upload_30_balita_bytes": upload,
        "sync_answers_gzip_bytes": sync_down,
        "files": first,
    }
    print("\nOFFLINE WEIGHT " + json.dumps(figures, indent=1))
    assert first_gzip <= 150_000
    assert per_person <= 10_000
    assert upload <= 100_000
