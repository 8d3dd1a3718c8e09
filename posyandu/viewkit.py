"""View plumbing every app's views share: a service's errors on a form, a page of a list.

Views stay thin (``shared/style.md``): they authorise, call one service or selector and render; what
they all need to do around that lives here once."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator


def form_add_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on its field when the form shows it, above it otherwise."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def paginate(request, rows, size: int) -> tuple[Page, str]:
    """The requested page of ``rows`` and the query string without ``page`` (for the pager's links)."""
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
