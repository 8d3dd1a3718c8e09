"""Every URL of the app, as every role, with an object inside and one outside the user's scope.

The table below must name every URL pattern; adding a URL without an entry fails
``test_every_url_pattern_has_a_scope_entry``. Inside the scope a role gets the status in ``inside``;
outside it always gets 404 (the object's existence is not revealed).
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["kader_a", "pengurus_a", "desa_a1", "kecamatan_a", "kabupaten", "admin"]
MANAGERS = {"desa_a1": 200, "kecamatan_a": 200, "kabupaten": 200, "admin": 200}
READ_ONLY = {"kader_a": 403, "pengurus_a": 403}

# Per role: an object inside its scope and one outside (admin sees everything: no outside).
OUTSIDE_POSYANDU = {
    "kader_a": "posyandu_b",
    "pengurus_a": "posyandu_a2",
    "desa_a1": "posyandu_a2",
    "kecamatan_a": "posyandu_b",
    "kabupaten": "posyandu_x",
}
OUTSIDE_PENGURUS = {
    "kader_a": "pengurus_b",
    "pengurus_a": "pengurus_b",
    "desa_a1": "pengurus_b",
    "kecamatan_a": "pengurus_b",
    "kabupaten": "pengurus_x",
}


@dataclass
class Case:
    inside: dict[str, int]  # role -> expected status for an object inside the scope
    target: str | None = None  # "posyandu" / "pengurus": the URL takes that object's pk
    method: str = "get"
    data: dict = field(default_factory=dict)


def every(status):
    return dict.fromkeys(ROLES, status)


TABLE: dict[str, Case] = {
    "login": Case(every(302)),  # already logged in: straight to the home page
    "logout": Case(every(302), method="post"),
    "password_change": Case(every(200)),
    "password_change_done": Case(every(200)),
    "posyandu:home": Case(every(200)),
    "posyandu:list": Case(every(200)),
    "posyandu:create": Case({**READ_ONLY, **MANAGERS}),
    "posyandu:detail": Case(every(200), target="posyandu"),
    "posyandu:update": Case({**READ_ONLY, **MANAGERS}, target="posyandu"),
    "posyandu:pengurus_create": Case({**READ_ONLY, **MANAGERS}, target="posyandu"),
    "posyandu:pengurus_end": Case(
        {**READ_ONLY, **dict.fromkeys(MANAGERS, 302)},
        target="pengurus",
        method="post",
        data={"ended_on": "2025-06-30"},
    ),
}
# Django admin has its own login and permission checks, tested in tests/posyandu/test_views.py.
EXCLUDED_NAMESPACES = {"admin"}


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from _url_names(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_pattern_has_a_scope_entry():
    names = set(_url_names(get_resolver().url_patterns))
    missing = names - set(TABLE)
    assert not missing, f"URL patterns without an entry in the scope table: {sorted(missing)}"
    assert not set(TABLE) - names, "stale entries in the scope table"


def _request(client, case, url):
    return client.post(url, case.data) if case.method == "post" else client.get(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(TABLE))
def test_url_inside_scope(world, client, url_name, role):
    case = TABLE[url_name]
    client.force_login(world.users[role])
    kwargs = {}
    if case.target:
        inside = world.posyandu_a if case.target == "posyandu" else world.pengurus_a
        kwargs = {"pk": inside.pk}
    response = _request(client, case, reverse(url_name, kwargs=kwargs))
    assert response.status_code == case.inside[role], (url_name, role)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
@pytest.mark.parametrize("url_name", sorted(name for name, case in TABLE.items() if case.target))
def test_url_outside_scope_is_404(world, client, url_name, role):
    case = TABLE[url_name]
    client.force_login(world.users[role])
    outside = getattr(world, (OUTSIDE_POSYANDU if case.target == "posyandu" else OUTSIDE_PENGURUS)[role])
    response = _request(client, case, reverse(url_name, kwargs={"pk": outside.pk}))
    assert response.status_code == 404, (url_name, role)


@pytest.mark.parametrize("url_name", sorted(name for name in TABLE if name not in {"login"}))
def test_anonymous_is_sent_to_login(db, client, url_name):
    case = TABLE[url_name]
    kwargs = {"pk": 1} if case.target else {}
    response = _request(client, case, reverse(url_name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
