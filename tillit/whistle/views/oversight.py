"""The channel's oversight pages: identity requests (custodians), key escrow (escrow holders), settings
and roles (the organisation's administrators), and the channel's own log (everyone with a part in it).

None of them shows a word of a case: custodians see a request's case number, the handler, the date and
(with their key unlocked) the motivation, never the identity; escrow holders choose cases by number;
administrators see settings, roles and the log (T-23).

Who gets what: a page tied to a key role (identity requests, escrow) answers 404 to everyone without
that role, as a case does to a handler without it. Settings and roles follow Tillit's convention: 404
to those outside the channel, 403 (`require`) to the channel's people who are not administrators.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tillit.core.forms import add_service_errors, apply_service
from tillit.core.permissions import require
from tillit.whistle import crypto, rules
from tillit.whistle import oversight_selectors as selectors
from tillit.whistle.enums import WhistleAction
from tillit.whistle.models import Channel
from tillit.whistle.oversight_forms import (
    ChannelSettingsForm,
    EscrowCaseGrantForm,
    EscrowRestoreForm,
    IdentityDecisionForm,
    LogFilterForm,
    PersonSearchForm,
    RoleGrantForm,
    RoleRevokeForm,
)
from tillit.whistle.services import channels, identity, keys
from tillit.whistle.views.common import channel_for, staff_page, unlocked_key

EVENTS_PER_PAGE = 50
MANDATORY_FROM = 50  # workers at the start of the year (L-01)
REPORTER_ACTIONS = frozenset({WhistleAction.REPORT_RECEIVED.value})


def _unlock_then(target: str):
    """To the unlock page, and back to `target` after (a POST-only address cannot be the way back)."""
    return redirect(f"{reverse('whistle:unlock')}?{urlencode({'next': target})}")


def _role_channel(request, slug: str, allowed) -> Channel:
    """A channel where the person holds the role `allowed` checks; 404 for everyone else."""
    channel = channel_for(request, slug)
    if not allowed(request.user, channel):
        raise Http404
    return channel


def _admin_channel(request, slug: str) -> Channel:
    """404 outside the channel, 403 to its people who do not administer the organisation."""
    channel = channel_for(request, slug)
    require(
        rules.can_configure_channel(request.access, channel),
        _("Only the organisation's administrators change a channel's settings and roles."),
    )
    return channel


# ------------------------------------------------------------------------------------ identity requests


def _motivation(item, person, private_key: bytes | None) -> str | None:
    """The request's motivation for the custodian, '' when it was not sealed to them, None when locked."""
    if private_key is None:
        return None
    try:
        return identity.motivation_read(request=item, person=person, private_key=private_key)
    except (PermissionDenied, crypto.DecryptionError):
        return ""


@staff_page
def identity_requests(request, slug: str):
    channel = _role_channel(request, slug, rules.can_decide_identity)
    private_key = unlocked_key(request)
    pending, decided = selectors.identity_requests_of(channel)
    return render(
        request,
        "whistle/staff/identity_requests.html",
        {
            "channel": channel,
            "unlocked": private_key is not None,
            "unlock_url": f"{reverse('whistle:unlock')}?{urlencode({'next': request.path})}",
            "pending": [(item, _motivation(item, request.user, private_key)) for item in pending],
            "decided": [(item, _motivation(item, request.user, private_key)) for item in decided],
        },
    )


@staff_page
def identity_decide(request, slug: str, request_id: int):
    channel = _role_channel(request, slug, rules.can_decide_identity)
    item = selectors.identity_request_of(channel, request_id)
    if item is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = reverse("whistle:identity-requests", args=[channel.slug])
    private_key = unlocked_key(request)
    if private_key is None:
        return _unlock_then(back)
    form = IdentityDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to deny the request."))
        return redirect(back)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        identity.identity_decide(
            request=item, custodian=request.user, private_key=private_key, approve=approve
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except crypto.DecryptionError:
        messages.error(request, _("Your keys cannot open this report's identity."))
    else:
        number = item.report.case_number
        if approve:
            messages.success(
                request,
                _("Approved: %(name)s can now read the reporter's identity in %(number)s.")
                % {"name": item.handler.full_name, "number": number},
            )
        else:
            messages.success(
                request, _("Denied: the identity in %(number)s stays sealed.") % {"number": number}
            )
    return redirect(back)


# ------------------------------------------------------------------------------------ escrow


def _escrow_forms(request, channel, *, action: str = ""):
    """The restore and case forms, the one named by `action` bound to the POST."""
    restore = EscrowRestoreForm(
        request.POST if action == "restore" else None,
        people=selectors.escrow_restorable(channel, request.user),
    )
    grant = EscrowCaseGrantForm(
        request.POST if action == "grant" else None,
        cases=selectors.channel_cases(channel),
        handlers=selectors.channel_handlers(channel),
        without_handler=selectors.cases_without_handler(channel),
    )
    return restore, grant


def _escrow_restore(request, channel, form, private_key: bytes) -> str | None:
    """The one-time passphrase, or None with the refusal on the form."""
    if not form.is_valid():
        return None
    return apply_service(
        form,
        keys.escrow_restore,
        channel=channel,
        holder=request.user,
        private_key=private_key,
        person=form.cleaned_data["person"],
        reason=form.cleaned_data["reason"],
    )


def _escrow_case_grant(request, form, private_key: bytes) -> bool:
    if not form.is_valid():
        return False
    try:
        keys.escrow_case_grant(
            report=form.cleaned_data["report"],
            holder=request.user,
            private_key=private_key,
            to_person=form.cleaned_data["handler"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@staff_page
def escrow(request, slug: str):
    channel = _role_channel(request, slug, rules.can_use_escrow)
    private_key = unlocked_key(request)
    here = reverse("whistle:escrow", args=[channel.slug])
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and private_key is None:
        return _unlock_then(here)
    if action == "set_up":
        try:
            keys.escrow_set_up(channel=channel, holder=request.user, private_key=private_key)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Key escrow is set up. Each person's keys join it the next time they unlock them."),
            )
        return redirect(here)
    restore, grant = _escrow_forms(request, channel, action=action)
    one_time, restored, status = None, None, 200
    if action == "restore":
        one_time = _escrow_restore(request, channel, restore, private_key)
        if one_time:
            restored = restore.cleaned_data["person"]
            restore, grant = _escrow_forms(request, channel)
        else:
            status = 400
    elif action == "grant":
        if _escrow_case_grant(request, grant, private_key):
            messages.success(
                request,
                _("%(number)s is given to %(name)s. The handlers see this in the channel's log.")
                % {
                    "number": grant.cleaned_data["report"].case_number,
                    "name": grant.cleaned_data["handler"].full_name,
                },
            )
            return redirect(here)
        status = 400
    elif request.method == "POST":
        status = 400
    role = selectors.escrow_role_of(channel, request.user)
    return render(
        request,
        "whistle/staff/escrow.html",
        {
            "channel": channel,
            "unlocked": private_key is not None,
            "unlock_url": f"{reverse('whistle:unlock')}?{urlencode({'next': here})}",
            "has_keys": selectors.has_keys(request.user),
            "has_escrow": bool(channel.escrow_public_key),
            "holds_escrow_key": bool(role and role.sealed_escrow_key),
            "restore_form": restore,
            "grant_form": grant,
            "not_escrowed": selectors.escrow_missing(channel),
            "one_time": one_time,
            "restored": restored,
        },
        status=status,
    )


# ------------------------------------------------------------------------------------ settings


def _reporter_address(channel) -> str:
    scheme = "https" if settings.HTTPS else "http"
    return f"{scheme}://{settings.WHISTLE_HOSTS[0]}/{channel.slug}/"


@staff_page
def settings_page(request, slug: str):
    channel = _admin_channel(request, slug)
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    open_errors: list[str] = []
    form = ChannelSettingsForm(request.POST if action == "save" else None, channel=channel)
    if action in ("open", "close"):
        try:
            channels.channel_open(access=request.access, channel=channel, is_open=action == "open")
        except ValidationError as error:
            open_errors = error.messages
        else:
            if action == "open":
                messages.success(request, _("The channel is open: reports can be made at its address."))
            else:
                messages.success(request, _("The channel is closed: it takes no new reports."))
            return redirect("whistle:settings", slug=channel.slug)
    elif action == "save" and form.is_valid():
        changes = form.changes(channel)
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("whistle:settings", slug=channel.slug)
        if apply_service(form, channels.channel_update, access=request.access, channel=channel, **changes):
            messages.success(request, _("The settings are saved."))
            return redirect("whistle:settings", slug=channel.slug)
    channel.refresh_from_db()
    workers = channel.employees_at_year_start
    return render(
        request,
        "whistle/staff/settings.html",
        {
            "channel": channel,
            "form": form,
            "missing": channels.channel_missing(channel),
            "open_errors": open_errors,
            "mandatory": workers is not None and workers >= MANDATORY_FROM,
            "mandatory_from": MANDATORY_FROM,
            "reporter_address": _reporter_address(channel),
        },
        status=400 if open_errors or (action == "save" and form.errors) else 200,
    )


# ------------------------------------------------------------------------------------ roles


@staff_page
def roles(request, slug: str):
    channel = _admin_channel(request, slug)
    search = PersonSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "grant":  # a person found by any search is a valid choice
        grant = RoleGrantForm(request.POST, people=selectors.organisation_people(channel.organisation_id))
    else:
        grant = RoleGrantForm(people=selectors.organisation_people(channel.organisation_id, query))
    revoke_errors: list[str] = []
    if action == "grant" and grant.is_valid():
        data = grant.cleaned_data
        if any(
            role.person_id == data["person"].pk and role.role == data["role"] for role in channel.roles.all()
        ):
            grant.add_error("person", _("This person already has this role in the channel."))
        elif apply_service(
            grant,
            channels.role_grant,
            access=request.access,
            channel=channel,
            person=data["person"],
            role=data["role"],
            shown_name=data["shown_name"].strip(),
            external_provider=data["external_provider"].strip(),
        ):
            messages.success(request, _("%(name)s has the role now.") % {"name": data["person"].full_name})
            return redirect("whistle:roles", slug=channel.slug)
    elif action == "revoke":
        revoke = RoleRevokeForm(request.POST, roles=channel.roles.all())
        if not revoke.is_valid():
            revoke_errors = [_("Choose a role of this channel to revoke.")]
        else:
            role = revoke.cleaned_data["role"]
            try:
                channels.role_revoke(
                    access=request.access, channel=channel, person=role.person, role=role.role
                )
            except ValidationError as error:
                revoke_errors = error.messages
            else:
                messages.success(
                    request,
                    _("%(name)s no longer has the role %(role)s.")
                    % {"name": role.person.full_name, "role": role.get_role_display()},
                )
                return redirect("whistle:roles", slug=channel.slug)
    listed = selectors.channel_roles(channel)
    keyed = selectors.keyed_people([role.person_id for role in listed])
    invalid = bool(revoke_errors) or (action == "grant" and grant.errors)
    return render(
        request,
        "whistle/staff/roles.html",
        {
            "channel": channel,
            "roles": [(role, role.person_id in keyed) for role in listed],
            "grant_form": grant,
            "search_form": search,
            "query": query,
            "revoke_errors": revoke_errors,
        },
        status=400 if invalid else 200,
    )


# ------------------------------------------------------------------------------------ the log


def _event_row(event) -> dict:
    """One line of the log. A line without a person is dated to the day only: a reporter's doing is
    stored at midnight, and a time of day would be a false one."""
    if event.actor is not None:
        who = event.actor.full_name or event.actor.email
    elif event.action in REPORTER_ACTIONS:
        who = _("The reporter")
    else:
        who = _("Tillit")
    return {"event": event, "who": who, "date_only": event.actor_id is None}


@staff_page
def log(request, slug: str):
    """The channel's log for everyone with a part in it; a handler reads only the lines of the cases they
    hold, and nobody those of a case the reporter excluded them from (`oversight_selectors.log_scope`)."""
    channel = channel_for(request, slug)
    form = LogFilterForm(request.GET if "case" in request.GET else None)
    valid = form.is_valid() if form.is_bound else True
    case_number = form.cleaned_data["case"] if form.is_bound and valid else ""
    page, rows = None, []
    person = request.user
    oversees = (
        rules.can_configure_channel(request.access, channel)
        or rules.can_decide_identity(person, channel)
        or rules.can_use_escrow(person, channel)
    )
    if valid:
        scope = selectors.log_scope(channel, person, oversees=oversees)
        events = selectors.channel_events(channel, case_number=case_number, scope=scope)
        page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        rows = [_event_row(event) for event in page]
    return render(
        request,
        "whistle/staff/log.html",
        {
            "channel": channel,
            "form": form,
            "page": page,
            "rows": rows,
            "case_number": case_number,
            "oversees": oversees,
            "filter_query": urlencode({"case": case_number}) + "&" if case_number else "",
        },
        status=200 if valid else 400,
    )
