"""The role gate (posyandu/role_gate.py) and the menus: a menu offers only pages its user may open.

tests/test_scope_every_url.py checks every URL as each gated role; here, every link of the top bar of
each role's home page opens for them (a menu entry that answers 403 is a dead end on a phone)."""

import re

import pytest
from django.urls import resolve

from posyandu.role_gate import PAGES_BY_ROLE, may_open

NAV = re.compile(r"<nav\b.*?</nav>", re.S)
HREF = re.compile(r'href="(/[^"#?]*)')


def _menu_links(html: str) -> list[str]:
    return sorted({href for nav in NAV.findall(html) for href in HREF.findall(nav)})


@pytest.mark.parametrize(
    "who", ["kader_a", "pengurus_a", "desa_a1", "kecamatan_a", "kabupaten", "admin", "puskesmas_a", "opd"]
)
def test_every_menu_link_opens_for_its_user(world, opd_cast, client, who):
    user = opd_cast.officer if who == "opd" else world.users[who]
    client.force_login(user)
    links = _menu_links(client.get("/").content.decode())
    assert len(links) >= 2, links  # the home page, and at least one page of their work
    for href in links:
        if href.startswith("/static/"):
            continue
        match = resolve(href)
        assert may_open(user, match.view_name), href
        status = client.get(href).status_code
        assert status in (200, 302), (who, href, status)


def test_a_gated_role_sees_no_menu_of_another_field(world, opd_cast, client):
    client.force_login(world.users["puskesmas_a"])
    html = client.get("/").content.decode()
    for word in ("Beranda bidang lain", "Pelatihan", "Kelengkapan laporan"):
        assert word not in html
    client.force_login(opd_cast.officer)
    links = _menu_links(client.get("/").content.decode())
    assert {resolve(href).view_name for href in links if not href.startswith("/static/")} <= PAGES_BY_ROLE["opd"]


def test_a_superuser_is_never_gated(world, opd_cast):
    officer = opd_cast.officer
    officer.is_superuser = True
    assert may_open(officer, "kader:kader_list")
    officer.is_superuser = False
    assert not may_open(officer, "kader:kader_list")
