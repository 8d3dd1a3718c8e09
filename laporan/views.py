"""Report views. They read through the other apps' selectors and only wrap the PDF bytes."""

from django.http import HttpResponse
from django.utils import timezone

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
