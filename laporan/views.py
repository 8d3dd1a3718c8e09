"""Report views. They read through the other apps' selectors and only wrap the PDF bytes."""

from django.http import HttpResponse
from django.utils import timezone

from kader import selectors as kader_selectors
from kader.models import Kader
from kader.permissions import can_view_kader_profile, require
from kader.views import coverage_filters
from laporan.pdf import render_pdf
from layanan import selectors as layanan_selectors
from layanan.models import HariBuka
from posyandu.scope import get_object_for_user


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def lembar_hari_buka(request, pk: int):
    """The printable opening-day sheet: everyone expected, what is due for each, blank boxes."""
    hari_buka = get_object_for_user(
        HariBuka.objects.select_related("posyandu", "posyandu__desa", "posyandu__desa__parent"), request.user, pk=pk
    )
    sections = layanan_selectors.roster(posyandu=hari_buka.posyandu, on=hari_buka.date, month=hari_buka.reporting_month)
    content = render_pdf(
        "laporan/pdf/lembar_hari_buka.html",
        {
            "hari_buka": hari_buka,
            "balita": sections["balita"],
            "ibu_hamil": sections["ibu_hamil"],
            "printed_at": timezone.localtime(),
        },
    )
    return _pdf_response(content, f"lembar-hari-buka-{hari_buka.posyandu_id}-{hari_buka.date:%Y-%m-%d}.pdf")


# ---------------------------------------------------------------------------------------------
# Kader: coverage recap and the per-kader certificate of competencies
# ---------------------------------------------------------------------------------------------
def kader_rekap(request):
    """The printable coverage recap of the user's area (same filters as the coverage screen)."""
    _form, filters = coverage_filters(request)
    coverage = kader_selectors.coverage(user=request.user, **filters)
    content = render_pdf("laporan/pdf/kader_rekap.html", {"c": coverage, "printed_at": timezone.localtime()})
    return _pdf_response(content, f"rekap-kader-{coverage.year}.pdf")


def kader_sertifikat(request, pk: int):
    """A kader's competencies, level and trainings on one page, to print and sign."""
    kader = get_object_for_user(Kader.objects.select_related("posyandu__desa__parent"), request.user, pk=pk)
    require(can_view_kader_profile(request.user, kader))
    content = render_pdf(
        "laporan/pdf/kader_sertifikat.html",
        {
            "kader": kader,
            "groups": kader_selectors.kader_competencies(kader=kader),
            "trainings": kader_selectors.kader_trainings(kader=kader),
            "years": kader.years_of_service(),
            "printed_at": timezone.localtime(),
        },
    )
    return _pdf_response(content, f"sertifikat-kompetensi-kader-{kader.pk}.pdf")
