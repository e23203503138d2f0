"""Reads of the reporting-burden register: a level's burden by requester, the candidates to retire and
why, usage (last used, used by which units), removal proposals and data requests."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.burden import rules
from tillit.burden.enums import UsageKind
from tillit.burden.models import DataRequest, RemovalProposal, ReportingRequirement, UsageDaily
from tillit.chain.access import Access
from tillit.chain.models import Unit
from tillit.core.clock import today as clock_today
from tillit.core.workdays import working_days_between
from tillit.dialogue.models import JointLook
from tillit.experiments.enums import ExperimentState
from tillit.experiments.models import ExperimentIndicator
from tillit.indicators.models import Indicator

UNUSED_DAYS = 365


def requirements_in_subtree(
    *, access: Access, unit: Unit, active: bool | None = True
) -> QuerySet[ReportingRequirement]:
    """The requirements of the unit and the units below it that the person may read (with indicators)."""
    requirements = ReportingRequirement.objects.filter(access.subtree_filter(unit))
    if active is True:
        requirements = requirements.filter(ended_at__isnull=True)
    elif active is False:
        requirements = requirements.filter(ended_at__isnull=False)
    return requirements.select_related("unit", "requester_unit").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.only("pk", "name", "purpose_link", "unit_id"))
    )


def requirement_get_readable(*, access: Access, requirement_id: int) -> ReportingRequirement:
    requirement = (
        ReportingRequirement.objects.filter(pk=requirement_id, organisation_id=access.organisation_id)
        .select_related("unit", "unit__organisation", "unit__level", "requester_unit", "created_by")
        .prefetch_related("indicators", "reader_units")
        .first()
    )
    if requirement is None or not rules.can_read_requirement(access, requirement):
        raise Http404
    return requirement


# --- Burden --------------------------------------------------------------------------------------------


@dataclass
class RequesterBurden:
    requester: str
    kind: str
    hours: float = 0.0
    count: int = 0
    share: float = 0.0  # of the total, 0-100: the bar's length


@dataclass
class Burden:
    hours: float
    by_requester: list[RequesterBurden]
    by_unit: list[tuple[Unit, float]]

    @property
    def hours_per_month(self) -> float:
        return self.hours / 12


def burden_of(requirements) -> Burden:
    """Hours per year of active requirements, split by requester (largest first) and by unit."""
    by_requester: dict[tuple[str, str], RequesterBurden] = {}
    by_unit: dict[int, list] = {}
    total = 0.0
    for requirement in requirements:
        if not requirement.is_active:
            continue
        hours = requirement.hours_per_year
        total += hours
        key = (requirement.requester, requirement.requester_kind)
        entry = by_requester.setdefault(
            key, RequesterBurden(requirement.requester, requirement.requester_kind)
        )
        entry.hours += hours
        entry.count += 1
        by_unit.setdefault(requirement.unit_id, [requirement.unit, 0.0])[1] += hours
    rows = sorted(by_requester.values(), key=lambda entry: (-entry.hours, entry.requester))
    for entry in rows:
        entry.share = round(100 * entry.hours / total, 1) if total else 0.0
    units = sorted(((unit, hours) for unit, hours in by_unit.values()), key=lambda pair: pair[0].path)
    return Burden(hours=total, by_requester=rows, by_unit=units)


# --- Candidates to retire ------------------------------------------------------------------------------


@dataclass
class Candidate:
    requirement: ReportingRequirement
    reasons: list[str] = field(default_factory=list)


def _used_since(*, indicator_ids: set[int], requirement_ids: set[int], since: date) -> tuple[set, set]:
    """Which indicators and reports were used since `since`: page views, charts, reports opened (one
    query) and joint looks that fed on an indicator, counted from the dialogue tables (one query)."""
    used_indicators: set[int] = set()
    used_requirements: set[int] = set()
    rows = UsageDaily.objects.filter(
        Q(indicator_key__in=indicator_ids) | Q(requirement_key__in=requirement_ids), day__gte=since
    ).values_list("indicator_key", "requirement_key")
    for indicator_key, requirement_key in rows.distinct():
        if indicator_key:
            used_indicators.add(indicator_key)
        if requirement_key:
            used_requirements.add(requirement_key)
    if indicator_ids:
        looks = JointLook.objects.filter(indicator_id__in=indicator_ids, opened_at__date__gte=since)
        used_indicators |= set(looks.values_list("indicator_id", flat=True).distinct())
        used_indicators |= set(
            _experiment_uses(indicator_ids)
            .filter(Q(experiment__state=ExperimentState.RUNNING) | Q(experiment__study_on__gte=since))
            .values_list("indicator_id", flat=True)
            .distinct()
        )
    return used_indicators, used_requirements


def _experiment_uses(indicator_ids) -> QuerySet[ExperimentIndicator]:
    """Experiments watching these indicators (started ones: a planned or cancelled one used nothing)."""
    return ExperimentIndicator.objects.filter(
        indicator_id__in=indicator_ids,
        experiment__state__in=[ExperimentState.RUNNING, ExperimentState.STUDIED],
    )


def candidates_of(requirements) -> list[Candidate]:
    """Active requirements that could be retired, each with its reasons in words:
    (a) nothing of it used for 12 months, (b) a later duplicate of another of the unit's requirements,
    (c) not linked to any purpose (no indicators, or none with a purpose link)."""
    today = clock_today()
    active = [requirement for requirement in requirements if requirement.is_active]
    indicator_ids = {indicator.pk for r in active for indicator in r.indicators.all()}
    used_indicators, used_requirements = _used_since(
        indicator_ids=indicator_ids,
        requirement_ids={r.pk for r in active},
        since=today - timedelta(days=UNUSED_DAYS),
    )
    by_unit: dict[int, list[ReportingRequirement]] = defaultdict(list)
    for requirement in active:
        by_unit[requirement.unit_id].append(requirement)
    candidates = []
    for requirement in active:
        reasons = []
        own = {indicator.pk for indicator in requirement.indicators.all()}
        if requirement.pk not in used_requirements and not own & used_indicators:
            reasons.append(_("Nobody has opened it or used its data in the last 12 months."))
        for other in by_unit[requirement.unit_id]:
            # The one registered first is the original; only the later copy is a candidate.
            if other.pk >= requirement.pk:
                continue
            other_ids = {indicator.pk for indicator in other.indicators.all()}
            same_data = own and own == other_ids
            same_name = (
                other.name.casefold() == requirement.name.casefold()
                and other.requester == requirement.requester
            )
            if same_data or same_name:
                reasons.append(
                    _("It reports the same as “%(other)s” (%(requester)s).")
                    % {"other": other.name, "requester": other.requester}
                )
                break
        if not own:
            reasons.append(_("It contains no indicator, so it is linked to no purpose of the unit."))
        elif not any(indicator.purpose_link.strip() for indicator in requirement.indicators.all()):
            reasons.append(_("None of its indicators says which purpose it informs."))
        if reasons:
            candidates.append(Candidate(requirement, reasons))
    return candidates


# --- Usage ---------------------------------------------------------------------------------------------


@dataclass
class UsageSummary:
    last_used: date | None
    used_by: list[tuple[str, list[str]]]  # (unit name or "", kind labels)
    total: int


def _summary(rows) -> UsageSummary:
    last = None
    total = 0
    by_unit: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        last = max(last, row["last"]) if last else row["last"]
        total += row["total"]
        by_unit[row["unit_name"] or ""].add(str(UsageKind(row["kind"]).label))
    used_by = sorted(((name, sorted(kinds)) for name, kinds in by_unit.items()), key=lambda pair: pair[0])
    return UsageSummary(last_used=last, used_by=used_by, total=total)


def _usage_rows(queryset):
    unit_name = Subquery(Unit.objects.filter(pk=OuterRef("viewer_unit_key")).values("name")[:1])
    return (
        queryset.values("viewer_unit_key", "kind")
        .annotate(last=Max("day"), total=Sum("count"), unit_name=unit_name)
        .order_by()
    )


def indicator_usage(*, indicator: Indicator) -> UsageSummary:
    """When the indicator was last used and by which units, in which ways (one query)."""
    return _summary(
        _usage_rows(
            UsageDaily.objects.filter(organisation_id=indicator.organisation_id, indicator_key=indicator.pk)
        )
    )


def requirement_usage(*, requirement: ReportingRequirement) -> UsageSummary:
    """Use of the report itself and of the indicators it contains, with joint looks on them."""
    indicator_ids = [indicator.pk for indicator in requirement.indicators.all()]
    rows = list(
        _usage_rows(
            UsageDaily.objects.filter(organisation_id=requirement.organisation_id).filter(
                Q(requirement_key=requirement.pk) | Q(indicator_key__in=indicator_ids)
            )
        )
    )
    looks = JointLook.objects.filter(indicator_id__in=indicator_ids).select_related("unit")
    for look in looks.only("opened_at", "unit__name"):
        rows.append(
            {
                "last": timezone.localdate(look.opened_at),
                "total": 1,
                "unit_name": look.unit.name,
                "kind": UsageKind.JOINT_LOOK,
            }
        )
    today = clock_today()
    uses = _experiment_uses(indicator_ids).select_related("experiment__unit")
    for use in uses.only("experiment__state", "experiment__study_on", "experiment__unit__name"):
        experiment = use.experiment
        running = experiment.state == ExperimentState.RUNNING
        rows.append(
            {
                "last": today if running else min(experiment.study_on, today),
                "total": 1,
                "unit_name": experiment.unit.name,
                "kind": UsageKind.EXPERIMENT,
            }
        )
    return _summary(rows)


# --- Proposals -----------------------------------------------------------------------------------------


def proposals_awaiting(*, unit: Unit) -> QuerySet[RemovalProposal]:
    """Open proposals the unit is asked to answer as the requester."""
    return (
        RemovalProposal.objects.filter(
            organisation_id=unit.organisation_id, requirement__requester_unit=unit, answer=""
        )
        .select_related("requirement", "requirement__unit", "proposed_by_unit")
        .order_by("deadline", "pk")
    )


def proposal_get_readable(*, access: Access, proposal_id: int) -> RemovalProposal:
    proposal = (
        RemovalProposal.objects.filter(pk=proposal_id, organisation_id=access.organisation_id)
        .select_related("requirement", "requirement__unit", "requirement__requester_unit", "proposed_by_unit")
        .first()
    )
    if proposal is None or not rules.can_read_requirement(access, proposal.requirement):
        raise Http404
    return proposal


def is_overdue(proposal: RemovalProposal) -> bool:
    return proposal.is_open and proposal.deadline < clock_today()


# --- Data requests -------------------------------------------------------------------------------------


def lead_time(request: DataRequest) -> int | None:
    if request.answered_at is None:
        return None
    return working_days_between(timezone.localdate(request.asked_at), timezone.localdate(request.answered_at))


def data_requests_of(*, unit: Unit) -> tuple[list[DataRequest], list[DataRequest]]:
    """What the unit asked, and what it was asked as a support function (one query)."""
    requests = DataRequest.objects.filter(organisation_id=unit.organisation_id).filter(
        Q(unit=unit) | Q(to_unit=unit)
    )
    asked, received = [], []
    for request in requests.select_related("unit", "to_unit"):
        (asked if request.unit_id == unit.pk else received).append(request)
    return asked, received


def data_request_get_readable(*, access: Access, request_id: int) -> DataRequest:
    request = (
        DataRequest.objects.filter(pk=request_id, organisation_id=access.organisation_id)
        .select_related("unit", "unit__organisation", "unit__level", "to_unit", "asked_by", "answered_by")
        .first()
    )
    if request is None or not rules.can_read_data_request(access, request):
        raise Http404
    return request


def requirement_form_choices(*, unit: Unit) -> tuple[QuerySet[Unit], QuerySet[Indicator]]:
    """What a requirement of `unit` can name: the organisation's open units (as requester or reader) and
    the unit's live indicators."""
    units = Unit.objects.filter(organisation_id=unit.organisation_id, closed_at__isnull=True).order_by("path")
    indicators = Indicator.objects.filter(
        organisation_id=unit.organisation_id, unit=unit, retired_at__isnull=True
    ).order_by("name")
    return units, indicators


def requirement_proposals(*, requirement: ReportingRequirement) -> list[RemovalProposal]:
    return list(requirement.proposals.select_related("proposed_by_unit").all())


def support_units(*, unit: Unit) -> QuerySet[Unit]:
    """Units a data request can go to: the organisation's other open units."""
    return (
        Unit.objects.filter(organisation_id=unit.organisation_id, closed_at__isnull=True)
        .exclude(pk=unit.pk)
        .select_related("level")
        .order_by("path")
    )
