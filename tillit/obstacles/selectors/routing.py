"""Where an obstacle goes and why, how long the receiving unit has to answer, and who answers for it.

Reads only: the raise service asks `obstacle_route` and `response_working_days`; the rules ask who
speaks for a unit."""

from dataclasses import dataclass

from django.db.models import Q

from tillit.agreements.models import AgreementState, MandateItem
from tillit.agreements.selectors import agreement_version_in_force
from tillit.chain.models import Membership, Unit
from tillit.delegation.models import DelegationEntry
from tillit.delegation.selectors import entries_holders, entries_search
from tillit.obstacles.enums import RoutingBasis
from tillit.obstacles.selectors.obstacles import mandate_items_in_chain
from tillit.obstacles.text import shared_stems

DEFAULT_RESPONSE_WORKING_DAYS = 10
MIN_SHARED_STEMS = 2  # an automatic match needs at least two words in common with the obstacle


@dataclass(frozen=True)
class Route:
    """Where an obstacle goes and why."""

    unit: Unit
    basis: str
    matter: DelegationEntry | None = None
    mandate_item: MandateItem | None = None


def chain_upward(unit: Unit) -> list[Unit]:
    """The unit, then its ancestors, lowest first."""
    ancestors = {
        u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids, organisation_id=unit.organisation_id)
    }
    return [unit, *(ancestors[pk] for pk in reversed(unit.ancestor_ids) if pk in ancestors)]


def holder_unit_for_entry(*, entry: DelegationEntry, raised_in: Unit) -> Unit | None:
    """The unit holding the entry's delegation for someone in `raised_in`: the lowest unit of the chain
    upward with an active holder; else, in the register's own branch, the holder unit nearest to the
    raiser (the longest shared path, then the fewest steps)."""
    holders = entries_holders(entries=[entry], near_unit=raised_in)[entry.pk]  # the register's own matching
    units = list({membership.unit_id: membership.unit for membership in holders}.values())
    for unit in units:
        if raised_in.path.startswith(unit.path):
            return unit  # holders in the raiser's own chain come first, the lowest of them first
    if not units:
        return None

    def nearness(unit: Unit) -> tuple[int, int, str]:
        shared = 0
        for mine, theirs in zip(
            raised_in.path.strip("/").split("/"), unit.path.strip("/").split("/"), strict=False
        ):
            if mine != theirs:
                break
            shared += 1
        return (-shared, unit.depth, unit.name)

    return min(units, key=nearness)


def _mandate_unit(item: MandateItem) -> Unit:
    return item.version.agreement.unit


def obstacle_route(
    *,
    raised_in: Unit,
    title: str,
    proposal: str = "",
    matter: DelegationEntry | None = None,
    mandate_item: MandateItem | None = None,
) -> Route:
    """The lowest level that holds the mandate to remove the obstacle.

    A decision the raiser picked wins: a register entry goes to the unit holding its delegation, a
    mandate item to the unit whose agreement holds it. Without one ("Vet inte"): the register's best
    hit if it shares at least two stemmed words with the title or proposal, else the chain's mandate
    item with the most shared words (at least two), else the unit above the raiser's unit."""
    words = f"{title} {proposal}"
    if matter is not None:
        unit = holder_unit_for_entry(entry=matter, raised_in=raised_in) or matter.version.register.unit
        return Route(unit=unit, basis=RoutingBasis.DELEGATION_REGISTER, matter=matter)
    if mandate_item is not None:
        return Route(
            unit=_mandate_unit(mandate_item), basis=RoutingBasis.AGREEMENT_MANDATE, mandate_item=mandate_item
        )
    hits = entries_search(organisation_id=raised_in.organisation_id, query=words, limit=1)
    if hits and shared_stems(f"{hits[0].matter_group} {hits[0].matter}", words) >= MIN_SHARED_STEMS:
        unit = holder_unit_for_entry(entry=hits[0], raised_in=raised_in)
        if unit is not None:
            return Route(unit=unit, basis=RoutingBasis.DELEGATION_REGISTER, matter=hits[0])
    best, best_score = None, 0
    for item in mandate_items_in_chain(unit=raised_in):  # lowest first: a tie keeps the lower unit
        score = shared_stems(item.text, words)
        if score > best_score:
            best, best_score = item, score
    if best is not None and best_score >= MIN_SHARED_STEMS:
        return Route(unit=_mandate_unit(best), basis=RoutingBasis.AGREEMENT_MANDATE, mandate_item=best)
    return Route(unit=raised_in.parent or raised_in, basis=RoutingBasis.UNIT_ABOVE)


def response_working_days(*, receiving_unit: Unit, raised_in: Unit) -> tuple[int, bool]:
    """The working days the receiving unit has promised to answer in, and whether a promise names it.

    The promise is the support promise (stödlöfte) of the agreement in force between the receiving unit
    (the level above) and the unit of the raiser's chain just below it; the smallest named time counts."""
    below = next((u for u in chain_upward(raised_in) if u.parent_id == receiving_unit.pk), None)
    if below is not None:
        version = agreement_version_in_force(unit=below)
        if version is not None and version.state == AgreementState.SIGNED:
            days = [
                p.response_working_days for p in version.support_promises.all() if p.response_working_days
            ]
            if days:
                return min(days), True
    return DEFAULT_RESPONSE_WORKING_DAYS, False


# --- Who answers for a unit -------------------------------------------------------------------------


def _speakers_filter(unit: Unit) -> Q:
    """Who answers for a unit: its managers; a unit without one (a nämnd) by its writers (the chair)."""
    managed = Membership.objects.filter(
        unit=unit, ended_at__isnull=True, role__can_manage=True, organisation_id=unit.organisation_id
    ).exists()
    return Q(role__can_manage=True) if managed else Q(role__can_write=True)


def receiving_recipients(unit: Unit) -> list:
    """The people who answer for the unit (and are told when an obstacle reaches it)."""
    memberships = Membership.objects.filter(
        _speakers_filter(unit), unit=unit, ended_at__isnull=True, organisation_id=unit.organisation_id
    ).select_related("person")
    return [m.person for m in memberships]


def speaks_for_unit(*, person, unit: Unit) -> bool:
    """Whether the person answers for the unit (see `_speakers_filter`)."""
    return Membership.objects.filter(
        _speakers_filter(unit), unit=unit, person_id=getattr(person, "pk", None), ended_at__isnull=True
    ).exists()


def is_member_of(*, person, unit: Unit) -> bool:
    """Whether the person has an active role in exactly this unit."""
    return Membership.objects.filter(
        person_id=getattr(person, "pk", None),
        unit=unit,
        ended_at__isnull=True,
        organisation_id=unit.organisation_id,
    ).exists()
