"""Documents of a service request: who may attach them, never to a closed request, and only files that
are what they claim to be all the way through (not just in their first bytes). A refusal writes nothing:
no row, no file under MEDIA_ROOT."""

import datetime
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layanan import services as services
from layanan import uploads
from layanan.models import DokumenPermintaan
from tests import factories

PDF = factories.pdf_bytes()
PNG = factories.image_bytes("PNG")
JPEG = factories.image_bytes("JPEG")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def permintaan(world):
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Baso Daeng Ngalle")
    return services.permintaan_create(
        field="perumahan_rakyat", kind="rtlh", description="Atap bocor", keluarga=keluarga,
        user=world.users["pengurus_a"], recorded_on=datetime.date(2026, 3, 2),
    )  # fmt: skip


def _post(client, permintaan, name, content):
    return client.post(
        reverse("bidang:dokumen_upload", args=[permintaan.pk]),
        {"kind": "surat", "file": SimpleUploadedFile(name, content)},
    )


def _nothing_written(media):
    assert not DokumenPermintaan.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def _close(permintaan, world, to_status):
    def step(to, role, day, **extra):
        return services.permintaan_transition(permintaan=permintaan, to_status=to, user=world.users[role],
                                              on=datetime.date(2026, 3, day), **extra)  # fmt: skip

    step("diverifikasi", "desa_a1", 3)
    if to_status == "ditolak":
        return step("ditolak", "desa_a1", 4, rejection_reason="Bukan warga desa")
    step("diteruskan", "kecamatan_a", 4, forwarded_to="kecamatan")
    return step("selesai", "kecamatan_a", 5)


# ---------------------------------------------------------------------------------------------
# Who
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["kecamatan_a", "kabupaten"])
def test_tim_pembina_read_the_documents_but_do_not_attach_any(world, login, permintaan, media, role):
    client = login(world.users[role])
    assert _post(client, permintaan, "surat.pdf", PDF).status_code == 403
    _nothing_written(media)
    page = client.get(permintaan.get_absolute_url()).content.decode()
    assert "Unggah dokumen" not in page
    with pytest.raises(ValidationError, match="kader bidangnya, pengurus atau operator desa"):
        services.dokumen_attach(permintaan=permintaan, kind="surat", user=world.users[role],
                                upload=SimpleUploadedFile("surat.pdf", PDF))  # fmt: skip
    _nothing_written(media)


@pytest.mark.parametrize("role", ["perumahan_rakyat", "pengurus_a", "desa_a1", "admin"])
def test_who_handles_the_request_at_the_posyandu_and_desa_attaches(world, login, bidang_kader, permintaan, role):
    user = bidang_kader.get(role) or world.users[role]
    client = login(user)
    assert "Unggah dokumen" in client.get(permintaan.get_absolute_url()).content.decode()
    assert _post(client, permintaan, "surat.pdf", PDF).status_code == 302
    assert DokumenPermintaan.objects.get().uploaded_by == user


def test_a_kader_of_another_field_does_not_see_the_request(login, bidang_kader, permintaan, media):
    assert _post(login(bidang_kader["sosial"]), permintaan, "surat.pdf", PDF).status_code == 404
    _nothing_written(media)


# ---------------------------------------------------------------------------------------------
# Never to a closed request
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("to_status", ["selesai", "ditolak"])
def test_a_closed_request_takes_no_document(world, login, permintaan, media, to_status):
    _close(permintaan, world, to_status)
    for role in ("pengurus_a", "desa_a1", "admin"):
        response = _post(login(world.users[role]), permintaan, "surat.pdf", PDF)
        assert response.status_code == 400
        page = response.content.decode()
        assert f"Permintaan ini sudah {to_status}: dokumen tidak dapat ditambahkan lagi." in page
        assert "Unggah dokumen" not in page
    _nothing_written(media)
    page = login(world.users["pengurus_a"]).get(permintaan.get_absolute_url()).content.decode()
    assert "Permintaan sudah ditutup: dokumen tidak dapat ditambahkan lagi." in page


def test_a_request_closed_while_the_file_was_on_its_way_takes_it_not(world, permintaan, media):
    """The page was opened while the request was open; it is closed before the upload arrives."""
    stale = type(permintaan).objects.get(pk=permintaan.pk)
    _close(permintaan, world, "selesai")
    assert stale.is_open
    with pytest.raises(ValidationError, match="sudah selesai"):
        services.dokumen_attach(permintaan=stale, kind="surat", user=world.users["pengurus_a"],
                                upload=SimpleUploadedFile("surat.pdf", PDF))  # fmt: skip
    _nothing_written(media)


# ---------------------------------------------------------------------------------------------
# What: the whole content, not the first bytes
# ---------------------------------------------------------------------------------------------
def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


FAKES = {
    "pdf-signature-only": ("surat.pdf", b"%PDF-1.4\n%uji\n", "PDF"),
    "pdf-startxref-to-nothing": ("surat.pdf", b"%PDF-1.7\n" + b"x" * 2000 + b"\nstartxref\n9\n%%EOF\n", "PDF"),
    "pdf-cut-end-pasted-back": ("surat.pdf", _cut(PDF) + PDF[-40:], "PDF"),
    "pdf-catalogue-missing": ("surat.pdf", PDF.replace(b"/Root 3 0 R", b"/Root 9 0 R"), "PDF"),
    "png-signature-only": ("rumah.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
    "png-truncated": ("rumah.png", _cut(PNG), "PNG"),
    "png-corrupt-chunk": ("rumah.png", PNG[:40] + bytes([PNG[40] ^ 0xFF]) + PNG[41:], "PNG"),
    "jpg-signature-only": ("rumah.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "JPG"),
    "jpg-truncated": ("rumah.jpg", _cut(JPEG), "JPG"),
    "png-named-jpg": ("rumah.jpg", PNG, "JPG"),
    "pdf-named-jpeg": ("rumah.jpeg", PDF, "JPG"),
}


@pytest.mark.parametrize(("name", "content", "label"), list(FAKES.values()), ids=list(FAKES))
def test_a_file_whose_first_bytes_look_right_but_is_not_that_file_is_refused(
    world, login, permintaan, media, name, content, label
):
    response = _post(login(world.users["pengurus_a"]), permintaan, name, content)
    assert response.status_code == 400
    assert f"Isi berkas bukan {label} yang sah." in response.content.decode()
    _nothing_written(media)


def test_a_picture_of_too_many_pixels_is_refused_before_it_is_decoded(world, login, permintaan, media):
    huge = factories.image_bytes("PNG", size=(8000, 6000))  # 48 megapixels of one colour: a few kilobytes
    response = _post(login(world.users["pengurus_a"]), permintaan, "rumah.png", huge)
    assert response.status_code == 400
    assert "Gambar terlalu besar: paling banyak 40 megapiksel." in response.content.decode()
    _nothing_written(media)


def _pdf_with_a_cross_reference_stream(*, root_in_object_stream: bool) -> bytes:
    """A PDF 1.5 file as modern writers make it: the cross-reference in a compressed stream with the PNG
    "Up" predictor, the catalogue inside a compressed object stream when asked."""
    out, offsets = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"), {}

    def obj(number, body):
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    obj(2, b"<< /Type /Pages /Kids [] /Count 0 >>")
    if root_in_object_stream:
        packed = zlib.compress(b"1 0 << /Type /Catalog /Pages 2 0 R >>")
        obj(4, b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
            + packed + b"\nendstream")  # fmt: skip
        catalogue = (2, 4)
    else:
        obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        catalogue = (1, offsets[1])
    xref_at = len(out)
    rows = [(0, 0), catalogue, (1, offsets[2]), (1, xref_at)] + ([(1, offsets[4])] if root_in_object_stream else [])
    raw, previous = bytearray(), bytes(4)
    for kind, value in rows:
        row = bytes([kind]) + value.to_bytes(2, "big") + b"\x00"
        raw += b"\x02" + bytes((a - b) & 0xFF for a, b in zip(row, previous, strict=True))  # PNG "Up"
        previous = row
    packed = zlib.compress(bytes(raw))
    out.extend(
        b"3 0 obj\n<< /Type /XRef /Size %d /W [1 2 1] /Root 1 0 R /Filter /FlateDecode"
        b" /DecodeParms << /Columns 4 /Predictor 12 >> /Length %d >>\nstream\n" % (len(rows), len(packed))
        + packed + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )  # fmt: skip
    return bytes(out)


def _weasyprint_pdf() -> bytes:
    from laporan.pdf import render_pdf

    return render_pdf("laporan/pdf/base.html", {})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("surat.pdf", PDF),  # a classic cross-reference table (Pillow)
        ("surat.pdf", "weasyprint"),  # a cross-reference stream (this app's own PDFs)
        ("surat.pdf", _pdf_with_a_cross_reference_stream(root_in_object_stream=False)),
        ("surat.pdf", _pdf_with_a_cross_reference_stream(root_in_object_stream=True)),
        ("rumah.png", PNG),
        ("rumah.jpg", JPEG),
        ("RUMAH.JPEG", JPEG),
    ],
    ids=["pdf-table", "pdf-weasyprint", "pdf-xref-stream", "pdf-object-stream", "png", "jpg", "jpeg-upper"],
)
def test_whole_files_are_accepted(world, login, permintaan, name, content):
    content = _weasyprint_pdf() if content == "weasyprint" else content
    assert _post(login(world.users["pengurus_a"]), permintaan, name, content).status_code == 302
    dokumen = DokumenPermintaan.objects.get()
    assert dokumen.file.read() == content


def test_a_damaged_cross_reference_stream_is_refused():
    good = _pdf_with_a_cross_reference_stream(root_in_object_stream=True)
    uploads.check_pdf(good)
    start = good.index(b"stream\n", good.index(b"/Type /XRef")) + len(b"stream\n")
    damaged = good[: start + 3] + bytes([good[start + 3] ^ 0xFF]) + good[start + 4 :]
    with pytest.raises((uploads.Broken, zlib.error, ValueError)):
        uploads.check_pdf(damaged)
