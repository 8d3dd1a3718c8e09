"""The phone's side of tests/typed_numbers.py (issue 16): without signal, the phone reads each typed number
as the server does and refuses it in the server's own words, served in the day's data; the server's
side: tests/layanan/test_typed_numbers.py. A weight of 0 once got the implausibility warning on the
phone, where the server refuses it outright; "1e2" was refused by the phone and read as 100 by the server.
"""

import pytest
from playwright import sync_api

from tests.browser.helpers import screenshot
from tests.browser.test_offline import _balita, _offline_day
from tests.typed_numbers import BIRTH_WEIGHT_RANGE, CASES, EXPONENT, STAGES, expected_text

expect = sync_api.expect

pytestmark = pytest.mark.browser

# Every case of the table, judged by static/js/offline/numbers.js with the checks the day's data serves,
# as the entry (checkNumbers) and the newborn's registration (saveNewPerson) call it.
JUDGE = """async ([dayId, cases]) => {
    const day = (await PosyanduStore.day(dayId)).data;
    return cases.map(({ field, typed, stage }) => {
        const newPerson = stage === "new_person";
        const checks = newPerson ? day.new_person_numbers[field] : day.fields[field].number;
        const decimal = newPerson || day.fields[field].kind === "LocalDecimalField";
        const value = PosyanduNumbers.read(typed, decimal);
        return {
            problem: PosyanduNumbers.problem(typed, checks, { decimal, stage: newPerson ? "balita" : stage }),
            text: value.text === undefined ? null : value.text,
            hundredths: field === "weight_kg" && !value.problem ? PosyanduGrowth.hundredths(typed) : null,
        };
    });
}"""


def test_the_phone_takes_or_refuses_each_typed_number_as_the_server_does_in_its_words(
    transactional_db, world, live_server, phone
):
    [name] = _balita(world, 1)
    hari_buka, _context, page, problems = _offline_day(world, live_server, phone)
    cases = [{"field": field, "typed": typed, "stage": STAGES[field]} for field, typed, _expected in CASES]
    answers = page.evaluate(JUDGE, [hari_buka.pk, cases])
    wrong = []
    for (field, typed, expected), got in zip(CASES, answers, strict=True):
        if isinstance(expected, str):
            fine = got["problem"] == expected
        else:
            fine = got["problem"] is None and got["text"] == expected_text(expected)
            if field == "weight_kg":  # and the plausibility check reads the same weight
                fine = fine and got["hundredths"] == int(expected * 100)
        if not fine:
            wrong.append((field, typed, expected, got))
    assert wrong == []

    # On the entry screen: a weight of 0 is refused at once in the server's words, not called implausible.
    page.locator("[data-person]", has_text=name).get_by_role("button").click()
    feedback = page.locator("#f-weight_kg + .invalid-feedback")
    page.locator("#f-weight_kg").fill("0")
    page.get_by_role("button", name="Simpan").click()
    expect(feedback).to_have_text("Nilai 0 di luar batas wajar (0,5–40). Periksa ketikan.")
    expect(page.locator("[data-implausible]")).to_have_count(0)
    for width in (360, 1024, 1366):
        page.set_viewport_size({"width": width, "height": 740})
        screenshot(page, f"offline_weight_zero_{width}.png")
    page.set_viewport_size({"width": 360, "height": 740})
    page.locator("#f-weight_kg").fill("1e2")
    page.get_by_role("button", name="Simpan").click()
    expect(feedback).to_have_text(EXPONENT)
    assert page.evaluate("PosyanduStore.outbox()") == []
    # A newborn's birth weight of 0 is refused before it reaches the outbox (the server could only refuse it).
    page.get_by_role("button", name="Kembali ke daftar").click()
    page.locator("#new-person").click()
    page.locator("#n-name").fill("Bayi Ny. Rina")
    page.locator("#n-birth_date").fill("2026-03-03")
    page.locator("#n-birth_weight_kg").fill("0")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#n-birth_weight_kg + .invalid-feedback")).to_have_text(BIRTH_WEIGHT_RANGE)
    assert page.evaluate("PosyanduStore.outbox()") == []
    assert problems == []
