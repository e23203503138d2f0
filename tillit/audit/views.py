from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from tillit.audit import rules
from tillit.audit.selectors import audit_events_for_unit
from tillit.chain import selectors as chain_selectors
from tillit.core.permissions import require

EVENTS_PER_PAGE = 50


@login_required
def unit_audit_log(request, unit_id: int):
    """The unit's audit log, readable by the unit and the chain above it. htmx loads further pages."""
    unit = chain_selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    require(rules.can_read_unit_log(request.access, unit))
    page = Paginator(audit_events_for_unit(unit=unit), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"unit": unit, "chain": chain_selectors.unit_chain(unit=unit), "page": page}
    template = "audit/unit_log.html#event-rows" if request.htmx else "audit/unit_log.html"
    return render(request, template, context)
