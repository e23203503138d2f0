"""Reads of the channel's oversight pages: identity requests, escrow, roles and the channel's log.

Nothing here reads content: case numbers, names, dates and states only. The motivation of an identity
request is opened by `services.identity.motivation_read`, with the custodian's own key.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from tillit.whistle.enums import IdentityRequestState, Role
from tillit.whistle.models import (
    Channel,
    ChannelRole,
    EscrowCopy,
    IdentityRequest,
    Keyring,
    Report,
    ReportKeyCopy,
    WhistleEvent,
)


def identity_requests_of(channel: Channel) -> tuple[list[IdentityRequest], list[IdentityRequest]]:
    """(pending, oldest first; decided, newest first) identity requests of the channel's cases."""
    requests = IdentityRequest.objects.filter(report__channel=channel).select_related(
        "report", "handler", "decided_by"
    )
    pending = list(requests.filter(state=IdentityRequestState.PENDING).order_by("requested_on", "pk"))
    decided = list(
        requests.exclude(state=IdentityRequestState.PENDING).order_by("-decided_on", "-requested_on", "-pk")
    )
    return pending, decided


def identity_request_of(channel: Channel, request_id: int) -> IdentityRequest | None:
    return IdentityRequest.objects.filter(pk=request_id, report__channel=channel).first()


def has_keys(person) -> bool:
    return Keyring.objects.filter(person=person).exists()


def escrow_role_of(channel: Channel, person) -> ChannelRole | None:
    return ChannelRole.objects.filter(channel=channel, person=person, role=Role.ESCROW).first()


def escrow_restorable(channel: Channel, holder):
    """The people of the channel (the holder aside) whose private keys the channel's escrow holds."""
    people = ChannelRole.objects.filter(channel=channel).values("person")
    escrowed = EscrowCopy.objects.filter(channel=channel).values("keyring__person")
    return (
        get_user_model()
        .objects.filter(pk__in=people)
        .filter(pk__in=escrowed)
        .exclude(pk=holder.pk)
        .order_by("full_name", "pk")
    )


def escrow_missing(channel: Channel) -> list:
    """The people of the channel with keys that are not in the channel's escrow yet."""
    people = ChannelRole.objects.filter(channel=channel).values("person")
    keyed = Keyring.objects.filter(person__in=people).values("person")
    escrowed = EscrowCopy.objects.filter(channel=channel).values("keyring__person")
    return list(
        get_user_model().objects.filter(pk__in=keyed).exclude(pk__in=escrowed).order_by("full_name", "pk")
    )


def keyed_people(people) -> set[int]:
    return set(Keyring.objects.filter(person__in=people).values_list("person", flat=True))


def channel_handlers(channel: Channel):
    """The channel's handlers who have created keys (only they can be given a case), sorted by name."""
    handlers = ChannelRole.objects.filter(channel=channel, role=Role.HANDLER).values("person")
    keyed = Keyring.objects.filter(person__in=handlers).values("person")
    return get_user_model().objects.filter(pk__in=keyed).order_by("full_name", "pk")


def channel_cases(channel: Channel):
    """The channel's cases, newest first: numbers only, never a field of content."""
    return (
        Report.objects.filter(channel=channel)
        .only("id", "channel", "year", "number")
        .order_by("-year", "-number")
    )


def cases_without_handler(channel: Channel) -> set:
    """The ids of the channel's cases that no current handler of the channel holds a key copy of."""
    handlers = ChannelRole.objects.filter(channel=channel, role=Role.HANDLER).values("person")
    held = ReportKeyCopy.objects.filter(report__channel=channel, person__in=handlers).values("report")
    return set(Report.objects.filter(channel=channel).exclude(pk__in=held).values_list("pk", flat=True))


def channel_roles(channel: Channel) -> list[ChannelRole]:
    return list(
        ChannelRole.objects.filter(channel=channel)
        .select_related("person")
        .order_by("person__full_name", "person__pk", "role")
    )


def organisation_people(organisation_id: int, search: str = ""):
    """The organisation's active people, sorted by name; `search` narrows by name or e-mail."""
    people = get_user_model().objects.filter(organisation_id=organisation_id, is_active=True)
    search = search.strip()
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return people.order_by("full_name", "pk")


def _case_numbers(reports) -> set[str]:
    return {report.case_number for report in reports.only("year", "number")}


@dataclass(frozen=True)
class LogScope:
    """Which cases' lines of the log a person may read: `only` those (None: every case), never `hidden`."""

    only: frozenset[str] | None
    hidden: frozenset[str]


def log_scope(channel: Channel, person, *, oversees: bool) -> LogScope:
    """A case a handler was excluded from, or never given, does not exist for them (W-07; T-20, T-21):
    not on the case pages and not in the log either, where its number, dates and handlers would show.
    So a handler reads only the lines of the cases they hold; the channel's overseers (custodians,
    escrow holders, administrators) read every case's, but never one the reporter excluded them from."""
    reports = Report.objects.filter(channel=channel)
    hidden = frozenset(_case_numbers(reports.filter(exclusions__person=person)))
    if oversees:
        return LogScope(only=None, hidden=hidden)
    return LogScope(
        only=frozenset(_case_numbers(reports.filter(key_copies__person=person))) - hidden, hidden=hidden
    )


def channel_events(channel: Channel, *, case_number: str = "", scope: LogScope | None = None):
    """The channel's own log, newest first; one case's lines when `case_number` is given; within `scope`
    the lines without a case and those of the cases it lets the person read."""
    events = WhistleEvent.objects.filter(channel=channel).select_related("actor")
    if case_number:
        events = events.filter(case_number=case_number)
    if scope is not None:
        if scope.only is not None:
            events = events.filter(Q(case_number="") | Q(case_number__in=scope.only))
        if scope.hidden:
            events = events.exclude(case_number__in=scope.hidden)
    return events.order_by("-at", "-id")
