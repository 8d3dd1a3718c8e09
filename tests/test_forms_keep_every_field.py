"""Every form keeps every field: what a form carries reaches the page, and what it leaves out is set elsewhere.

A field can be lost silently in three places, and each has a test here:

1. **Not rendered.** A form field the template never shows is never posted; the form then stores its
   empty value (the household survey's "peserta JKN / dana sehat" question was defined but left out of
   the page's sections, so every survey stored *tidak*). ``test_every_field_of_every_form_is_on_its_page``
   opens every page of the scope table (``tests/test_scope_every_url.py``, which must list every URL),
   takes every form the view put in the template context (formsets included) and looks in the HTML
   for an ``<input>``, ``<select>`` or ``<textarea>`` named like each bound field. Every form class of
   the apps' ``forms*.py`` modules must have been found on some page, or be listed in
   ``NOT_ON_A_PAGE`` with the reason: a new form that no page shows fails.
2. **Not in the form.** ``test_every_model_field_a_modelform_leaves_out_is_set_elsewhere``: for each
   ModelForm, every editable field of its model that the form does not carry is in
   ``SET_ELSEWHERE`` with where it is set (a service, the view, another form). A new ModelForm, or a
   new model field, without an entry fails; so does a stale entry.
3. **Rendered, but not with its value.** ``test_an_edit_posted_back_unchanged_keeps_every_value``: a
   record whose every carried field holds a value other than its default (checked first, so the test
   proves something) is opened on its edit page; the page is posted back as a browser would post it
   (its own inputs, checked boxes, selected options, text areas), with one field changed; every other
   value must be as before. This catches a date or decimal rendered in a format the form does not read
   back, a select whose current value is not among its options, a checkbox rendered unticked.
"""

import datetime
import importlib
import inspect
import pkgutil
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.db import models
from django.urls import reverse

from tests.test_scope_every_url import (  # noqa: F401 - fixtures
    TABLE,
    _kwargs,
    _targets,
    _targets_snapshot,
    bidang,
    cadres,
    health,
    people,
    rakor_rows,
)

# The scope table's target objects: built once per session, before any test's transaction.
pytestmark = pytest.mark.usefixtures("_targets_snapshot")

APPS = ("posyandu", "layanan", "kader", "laporan")


def _form_modules():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("forms"):
                module = importlib.import_module(f"{app}.{info.name}")
                yield module
                # A forms package (layanan.forms): its subject modules too.
                for sub in pkgutil.iter_modules(getattr(module, "__path__", [])):
                    yield importlib.import_module(f"{module.__name__}.{sub.name}")


def _form_classes() -> dict[str, type]:
    """Every form class defined in the apps' forms modules, by ``module.Name``."""
    found = {}
    for module in _form_modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm):
                found[f"{module.__name__}.{name}"] = cls
    return found


def _label(cls) -> str:
    return f"{cls.__module__}.{cls.__name__}"


# --------------------------------------------------------------------------------------------------
# 2. A ModelForm leaves a model field out only where something else sets it.
# --------------------------------------------------------------------------------------------------
SET_ELSEWHERE: dict[str, set[str]] = {
    "posyandu.forms.PosyanduForm": set(),
    # The pengurus belongs to the posyandu of the URL (services.pengurus_appoint); the end of a term is
    # PengurusEndForm's (services.pengurus_end_term).
    "posyandu.forms.PengurusForm": {"posyandu", "ended_on"},
    # The person's posyandu is the user's or the household's (services.warga_create); leaving, death and
    # moving have their own forms (WargaStatusForm, WargaMoveForm), which set status and status_date.
    "posyandu.forms.WargaForm": {"posyandu", "status", "status_date"},
    "posyandu.forms.KeluargaForm": set(),
    # The person record is linked by the service from the NIK (kader.services.kader_register); leaving is
    # KaderDeactivateForm's (status, end_date, end_reason); the level follows from the assessments.
    "kader.forms.KaderForm": {"warga", "status", "end_date", "end_reason", "level"},
    # Who recorded the training: the request's user (kader.services.pelatihan_create).
    "kader.forms.PelatihanForm": {"created_by"},
}


def _editable_fields(model) -> set[str]:
    fields = set()
    for field in model._meta.get_fields():
        if field.auto_created or not getattr(field, "editable", False) or isinstance(field, models.GeneratedField):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        fields.add(field.name)
    return fields


def test_every_model_field_a_modelform_leaves_out_is_set_elsewhere():
    model_forms = {label: cls for label, cls in _form_classes().items() if issubclass(cls, forms.BaseModelForm)}
    assert set(model_forms) == set(SET_ELSEWHERE), "a ModelForm without an entry in SET_ELSEWHERE, or a stale one"
    for label, cls in model_forms.items():
        left_out = _editable_fields(cls._meta.model) - set(cls.base_fields)
        assert left_out == SET_ELSEWHERE[label], (label, "left out but not listed", left_out - SET_ELSEWHERE[label])


# --------------------------------------------------------------------------------------------------
# 1. Every field of every form is on the page that shows the form.
# --------------------------------------------------------------------------------------------------
NOT_ON_A_PAGE: dict[str, str] = {
    "posyandu.forms._NameSearchFilterForm": "the base of WargaFilterForm and KeluargaFilterForm, never shown itself",
}
# Forms whose fields a template writes by hand (no form instance in the context): the page that
# carries them, checked for an input named like each of the form's fields.
HAND_WRITTEN: dict[str, str] = {
    # One small "end the term" form per current pengurus (templates/posyandu/includes/pengurus_table.html).
    "posyandu.forms.PengurusEndForm": "posyandu:detail",
}
# Fields a page shows only in some state; elsewhere the form's empty value is the right answer.
SHOWN_ONLY_WHEN: dict[tuple[str, str], str] = {
    # One TransitionForm per possible next status; the destination belongs to "diteruskan" only.
    ("layanan.forms.permintaan.TransitionForm", "forwarded_to"): "the transition is to 'diteruskan'",
    # The tick to keep a WHO-implausible value appears once the value was flagged (layanan/growth.py).
    ("layanan.forms.kesehatan.KunjunganForm", "confirm_implausible"): "a typed value is implausible",
    # Vitamin A is given in February and August (layanan/schedule.py); the batch column is shown then.
    ("layanan.forms.kesehatan.BatchRowForm", "vitamin_a"): "the opening day is in a vitamin A month",
    # One checkbox per candidate kader; with none, the page says so instead of showing the list.
    ("kader.forms.PesertaPickForm", "kader"): "some kader can still be added to the training",
}

NAMED_CONTROL = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)


def _context_values(response):
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in contexts:
        if context is None:
            continue
        for layer in context:  # a Context iterates over its dicts
            yield from layer.values()


def _forms_in(value, depth=0):
    if isinstance(value, forms.BaseForm):
        yield value
    elif isinstance(value, forms.BaseFormSet):
        yield value.management_form
        yield from value.forms
    elif depth < 3 and isinstance(value, (list, tuple)):
        for item in value:
            yield from _forms_in(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _forms_in(item, depth + 1)


def _pages(request, world):
    """(url name, url, user) of every page of the scope table that shows something, plus the login page."""
    yield "login", reverse("login"), None
    for name, case in sorted(TABLE.items()):
        if case.method != "get" or name in {"login", "logout"}:
            continue
        kwargs = _kwargs(request, world, case.target) if case.target else {}
        yield name, reverse(name, kwargs=kwargs), world.users["admin"]


def test_every_field_of_every_form_is_on_its_page(request, world, pdf_layout_skipped, client):
    """(The PDF pages are not laid out: the forms are what is looked at.)"""
    from kader import services as kader_services

    # a participant, so the training's attendance formset has a row
    row = request.getfixturevalue("cadres")["posyandu_a"]
    kader_services.peserta_add_bulk(pelatihan=row["pelatihan"], kader=[row["kader"]], user=world.users["admin"])
    classes = _form_classes()
    seen, missing = set(), []
    signed_in = None
    for name, url, user in _pages(request, world):
        if user != signed_in:  # the login page anonymous, then every page as the admin: one login
            client.logout()
            if user is not None:
                client.force_login(user)
            signed_in = user
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        rendered = set(NAMED_CONTROL.findall(response.content.decode()))
        for label in (label for label, page in HAND_WRITTEN.items() if page == name):
            seen.add(label)
            missing += [(name, label, field) for field in classes[label].base_fields if field not in rendered]
        for form in {id(f): f for value in _context_values(response) for f in _forms_in(value)}.values():
            seen.add(_label(type(form)))
            missing += [
                (name, _label(type(form)), bf.html_name)
                for bf in form
                if bf.html_name not in rendered and (_label(type(form)), bf.name) not in SHOWN_ONLY_WHEN
            ]
    unseen = sorted(set(classes) - seen - set(NOT_ON_A_PAGE))
    assert not missing, f"form fields that their page does not show (url, form, field): {missing}"
    assert not unseen, f"forms that no page of the scope table shows: {unseen}"


# --------------------------------------------------------------------------------------------------
# 3. An edit posted back unchanged (but for one field) keeps every value.
# --------------------------------------------------------------------------------------------------
class _PostForm(HTMLParser):
    """The POST forms of a page, as a browser would submit them: [(action, [(name, value), ...])]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._form = None
        self._select = None  # (name, multiple, [(value, selected)])
        self._option = None
        self._textarea = None  # (name, [text])

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = (a.get("action") or "", [])
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        data = self._form[1]
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    data.append((a["name"], a.get("value", "on")))
            else:
                data.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select[2].append(self._option)
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])

    def handle_data(self, text):
        if self._option is not None and self._option[0] is None:
            self._option[2] += text
        if self._textarea is not None:
            self._textarea[1].append(text)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            values = [(value if value is not None else text.strip()) for value, selected, text in options if selected]
            if not values and not multiple and options:  # a browser sends the first option
                first = options[0]
                values = [first[0] if first[0] is not None else first[2].strip()]
            self._form[1].extend((name, value) for value in values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            self._form[1].append((name, "".join(parts).removeprefix("\n")))
            self._textarea = None


def _post_back(client, url, change: dict):
    """Open ``url``, post its form back as a browser would, with ``change`` typed over it."""
    page = client.get(url)
    assert page.status_code == 200, url
    parser = _PostForm()
    parser.feed(page.content.decode())
    fields = [pairs for action, pairs in parser.forms if action in ("", url) and len(pairs) > 1]
    assert fields, f"no POST form on {url}"
    data: dict[str, list[str]] = {}
    for name, value in fields[0]:
        data.setdefault(name, []).append(value)
    for name, value in change.items():
        data[name] = value if isinstance(value, list) else [value]
    response = client.post(url, data)
    errors = response.context["form"].errors if response.status_code == 200 and response.context else None
    assert response.status_code == 302, (url, errors)
    return response


def _values(obj, names) -> dict:
    obj.refresh_from_db()
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in names}


def _carried(form_class, instance_model) -> list[str]:
    model_fields = {f.name for f in instance_model._meta.get_fields()}
    return [name for name in form_class.base_fields if name in model_fields]


def _assert_not_default(obj, names, allowed_default=()):
    """The round trip proves something only for values a lost field would not come back as."""
    for name in names:
        if name in allowed_default:
            continue
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        assert value not in (None, "", []) and value != field.get_default(), (type(obj).__name__, name, value)


@pytest.fixture
def filled(world):
    """One record per edited model, with a value other than the default in every field a form carries."""
    from kader import services as kader_services
    from kader.models import Pelatihan
    from posyandu import services

    posyandu = services.posyandu_create(
        name="Posyandu Teratai",
        desa=world.desa_a1,
        address="Jl. Poros Takalar No. 5",
        latitude=Decimal("-5.416700"),
        longitude=Decimal("119.450000"),
        registration_number="73.05.01.2001.007",
        sk_number="SK 12/2020",
        sk_date=datetime.date(2020, 2, 3),
        formed_on=datetime.date(2019, 5, 6),
        schedule_kind="minggu_hari",
        schedule_week=2,
        schedule_weekday=3,
        status="nonaktif",
        inactive_reason="Kader pindah semua",
        inactive_since=datetime.date(2025, 7, 1),
    )
    keluarga = services.keluarga_create(
        posyandu=world.posyandu_a,
        kk_number="7305010101200001",
        head_name="Baso Daeng Ngalle",
        rt="002",
        rw="001",
        dusun="Dusun Bontoa",
        address="Jl. Mawar 3",
    )
    mother = services.warga_create(
        posyandu=world.posyandu_a, name="Sitti Aminah", sex="P", birth_date=datetime.date(1995, 4, 4)
    )
    warga = services.warga_create(
        posyandu=world.posyandu_a,
        name="Muhammad Rizky",
        nik="7305011705230002",
        sex="L",
        birth_date=datetime.date(2023, 5, 17),
        birth_weight_kg=Decimal("3.15"),
        mother=mother,
        mother_name="Sitti Aminah",
        keluarga=keluarga,
        has_buku_kia=False,
        kia_number="KIA-7305-0123",
        phone="081234567890",
    )
    kader = kader_services.kader_register(
        posyandu=world.posyandu_a,
        name="Hasnah Daeng Baji",
        field="sosial",
        start_date=datetime.date(2015, 3, 1),
        nik="7305014403850003",
        phone="081355501234",
        sk_number="SK Kader 7/2015",
        sk_date=datetime.date(2015, 2, 20),
        user=services.user_create(
            username="hasnah", password="rahasia-uji-123", role="kader", posyandu=world.posyandu_a, field="sosial"
        ),
    )
    pelatihan = kader_services.pelatihan_create(
        title="Bimtek Posyandu 6 SPM",
        organiser_level=Pelatihan.OrganiserLevel.KECAMATAN,
        organiser_opd="Puskesmas Mappakasunggu",
        field="pendidikan",
        wilayah=world.kecamatan_a,
        start_date=datetime.date(2026, 2, 10),
        end_date=datetime.date(2026, 2, 12),
        hours=Decimal("16.5"),
        place="Aula Kantor Camat",
        notes="Membawa buku catatan",
    )
    return {"posyandu": posyandu, "keluarga": keluarga, "warga": warga, "kader": kader, "pelatihan": pelatihan}


# (url name, record, the field typed over, its new value, fields that may hold their default and why)
EDITS = {
    "posyandu.forms.PosyanduForm": (
        "posyandu:update",
        "posyandu",
        ("address", "Jl. Poros Takalar No. 7"),
        {"schedule_day": "a weekday schedule has no date (they exclude each other)"},
    ),
    "posyandu.forms.KeluargaForm": ("posyandu:keluarga_update", "keluarga", ("rt", "003"), {}),
    "posyandu.forms.WargaForm": (
        "posyandu:warga_update",
        "warga",
        ("phone", "081299998888"),
        {"mother_name": "typed only for a mother not in the register; this one is linked (mother)"},
    ),
    "kader.forms.KaderForm": ("kader:kader_update", "kader", ("phone", "081300000001"), {}),
    "kader.forms.PelatihanForm": ("kader:pelatihan_update", "pelatihan", ("place", "Balai Desa"), {}),
}
NO_EDIT_PAGE = {
    # Appointing a pengurus creates a record; a term is ended (PengurusEndForm), never edited.
    "posyandu.forms.PengurusForm": "no edit page",
}


def test_every_modelform_is_edited_here_or_has_no_edit_page():
    model_forms = {label for label, cls in _form_classes().items() if issubclass(cls, forms.BaseModelForm)}
    assert model_forms == set(EDITS) | set(NO_EDIT_PAGE)


@pytest.mark.parametrize("form_label", sorted(EDITS))
def test_an_edit_posted_back_unchanged_keeps_every_value(world, client, filled, form_label):
    url_name, key, (changed, new_value), allowed_default = EDITS[form_label]
    obj = filled[key]
    names = _carried(_form_classes()[form_label], type(obj))
    _assert_not_default(obj, names, allowed_default)
    before = _values(obj, names)
    client.force_login(world.users["admin"])
    _post_back(client, reverse(url_name, kwargs={"pk": obj.pk}), {changed: new_value})
    after = _values(obj, names)
    assert after.pop(changed) != before.pop(changed), "the changed field was not saved"
    assert after == before


def test_a_household_survey_updated_unchanged_keeps_every_answer(world, client):
    """The survey form is a plain form (the service writes the record): "Perbarui survei" opens it
    filled from the household's latest survey; posted back with only a new date, the new survey must
    answer every question as the previous one did. The JKN / dana sehat answer was lost this way: it
    was not on the page, so every new survey stored *tidak*."""
    from layanan import services as field_services
    from layanan.models import SurveiKeluarga
    from layanan.services.survei import SURVEY_FIELDS
    from tests import factories

    keluarga = factories.keluarga(posyandu=world.posyandu_a)
    answers = {
        "water_source": "sumur_bor",
        "water_sufficient": True,
        "latrine": "cemplung",
        "waste_water": "got_terbuka",
        "rubbish": "dibakar",
        "roof": "rusak_ringan",
        "walls": "rusak_berat",
        "floor": "tanah",
        "floor_area_m2": Decimal("36.5"),
        "occupants": 5,
        "disaster_damage": "sedang",
        "is_poor": True,
        "receives_bansos": True,
        "bansos_programmes": ["pkh", "pbi_jk"],
        "has_jkn": True,
        "disabled_members": 1,
        "neglected_elderly": 1,
        "neglected_children": 2,
        "notes": "Atap bocor di dapur",
    }
    # Notes belong to one survey and are not carried into the next (SurveiKeluargaForm.__init__).
    carried = [name for name in SURVEY_FIELDS if name != "notes"]
    assert set(answers) == set(SURVEY_FIELDS), "a survey field this test does not set"
    previous = field_services.survei_keluarga_record(
        keluarga=keluarga, survey_date=datetime.date(2026, 3, 2), user=None, values=answers
    )
    _assert_not_default(previous, carried)
    client.force_login(world.users["pengurus_a"])
    _post_back(client, reverse("bidang:survei_create", args=[keluarga.pk]), {"survey_date": "2026-03-09"})
    new = SurveiKeluarga.objects.get(keluarga=keluarga, survey_date=datetime.date(2026, 3, 9))
    assert _values(new, carried) == _values(previous, carried)
