"""Pages of the steering chain. Thin: check access, call a selector or service, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.agreements.selectors import purpose_summary, unit_agreement_summary
from tillit.chain import rules, selectors, services
from tillit.chain.forms import (
    InviteForm,
    LevelCreateForm,
    LevelForm,
    MembershipCreateForm,
    RoleCreateForm,
    UnitCreateForm,
    UnitMoveForm,
    UnitRenameForm,
)
from tillit.core.forms import apply_service
from tillit.core.permissions import require
from tillit.followup.selectors import subtree_look_counts, unit_followup_summary
from tillit.pulse.selectors import open_pulses_for_person


@login_required
def home(request):
    memberships = list(selectors.my_memberships(person=request.user))
    chains = selectors.unit_chains(units=[m.unit for m in memberships])
    looks = {m.unit_id: subtree_look_counts(access=request.access, unit=m.unit) for m in memberships}
    return render(
        request,
        "chain/home.html",
        {
            "memberships": [(m, chains[m.unit_id], looks[m.unit_id]) for m in memberships],
            # Whether the person has answered is unknown to Tillit, so the page never says it.
            "open_pulses": open_pulses_for_person(request.access),
        },
    )


@login_required
def chain_tree(request):
    show_closed = request.GET.get("closed") == "1"
    roots = selectors.organisation_tree(access=request.access, include_closed=show_closed)
    return render(request, "chain/tree.html", {"roots": roots, "show_closed": show_closed})


@login_required
def unit_detail(request, unit_id: int):
    unit = selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    context = {
        "unit": unit,
        "chain": selectors.unit_chain(unit=unit),
        "children": selectors.unit_children(unit=unit, include_closed=True),
        "memberships": selectors.unit_active_memberships(unit=unit),
        "can_manage": rules.can_manage_unit(request.access, unit),
        "can_write": rules.can_write_in_unit(request.access, unit),
    }
    context["purpose"], context["purpose_authors"] = purpose_summary(unit=unit)
    context["agreement_summary"] = unit_agreement_summary(unit=unit)
    context["followup_summary"] = unit_followup_summary(unit=unit)
    return render(request, "chain/unit_detail.html", context)


@login_required
def person_detail(request, person_id: int):
    person = selectors.person_get_readable(access=request.access, person_id=person_id)
    memberships = selectors.person_memberships_readable(access=request.access, person=person)
    return render(request, "chain/person_detail.html", {"person": person, "memberships": memberships})


def _managed_unit(request, unit_id: int):
    """A unit the person may read and manage: 404 outside their chain, 403 inside it without the right."""
    unit = selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    require(rules.can_manage_unit(request.access, unit))
    return unit


def _form_page(request, *, unit, form, title: str, submit: str, intro: str = ""):
    return render(
        request,
        "chain/unit_form.html",
        {
            "unit": unit,
            "chain": selectors.unit_chain(unit=unit),
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
        },
    )


@login_required
def unit_create(request, unit_id: int):
    parent = _managed_unit(request, unit_id)
    levels = selectors.level_list(organisation=parent.organisation)
    form = UnitCreateForm(request.POST or None, levels=levels)
    if request.method == "POST" and form.is_valid():
        unit = apply_service(
            form,
            services.unit_create,
            actor=request.user,
            access=request.access,
            organisation=parent.organisation,
            parent=parent,
            level=form.cleaned_data["level"],
            name=form.cleaned_data["name"],
        )
        if unit is not None:
            messages.success(request, _("The unit %(name)s was created.") % {"name": unit.name})
            return redirect(unit)
    return _form_page(
        request,
        unit=parent,
        form=form,
        title=_("New sub-unit under %(name)s") % {"name": parent.name},
        submit=_("Create unit"),
    )


@login_required
def unit_rename(request, unit_id: int):
    unit = _managed_unit(request, unit_id)
    levels = selectors.level_list(organisation=unit.organisation)
    form = UnitRenameForm(
        request.POST or None, levels=levels, initial={"name": unit.name, "level": unit.level}
    )
    if request.method == "POST" and form.is_valid():
        result = apply_service(
            form,
            services.unit_rename,
            actor=request.user,
            access=request.access,
            unit=unit,
            name=form.cleaned_data["name"],
            level=form.cleaned_data["level"],
        )
        if result is not None:
            messages.success(request, _("The unit was renamed."))
            return redirect(unit)
    return _form_page(
        request, unit=unit, form=form, title=_("Rename %(name)s") % {"name": unit.name}, submit=_("Save")
    )


@login_required
def unit_move(request, unit_id: int):
    unit = _managed_unit(request, unit_id)
    form = UnitMoveForm(
        request.POST or None, targets=selectors.unit_move_targets(access=request.access, unit=unit)
    )
    if request.method == "POST" and form.is_valid():
        result = apply_service(
            form,
            services.unit_move,
            actor=request.user,
            access=request.access,
            unit=unit,
            new_parent=form.cleaned_data["new_parent"],
        )
        if result is not None:
            messages.success(request, _("The unit was moved."))
            return redirect(unit)
    return _form_page(
        request,
        unit=unit,
        form=form,
        title=_("Move %(name)s") % {"name": unit.name},
        submit=_("Move unit"),
        intro=_("The unit moves with all its sub-units, people and history."),
    )


@login_required
def unit_close(request, unit_id: int):
    unit = _managed_unit(request, unit_id)
    # A confirmation: no fields, only the service's errors. Bound on POST so that errors can be added.
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = apply_service(
            form, services.unit_close, actor=request.user, access=request.access, unit=unit
        )
        if result is not None:
            messages.success(request, _("The unit was closed. Its history is kept."))
            return redirect(unit)
    return _form_page(
        request,
        unit=unit,
        form=form,
        title=_("Close %(name)s") % {"name": unit.name},
        submit=_("Close unit"),
        intro=_(
            "Closing ends the roles in the unit. The unit, its history and its audit log are kept and can still be read."
        ),
    )


@login_required
def unit_invite(request, unit_id: int):
    from tillit.accounts.services import person_invite  # imported here: accounts builds on chain

    unit = _managed_unit(request, unit_id)
    roles = selectors.role_choices(access=request.access, organisation=unit.organisation)
    form = InviteForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        person = apply_service(
            form, person_invite, actor=request.user, access=request.access, unit=unit, **form.cleaned_data
        )
        if person is not None:
            messages.success(
                request,
                _("%(name)s was invited. An e-mail with a sign-in link is on its way.")
                % {"name": person.full_name},
            )
            return redirect(unit)
    return _form_page(
        request,
        unit=unit,
        form=form,
        title=_("Invite a person to %(name)s") % {"name": unit.name},
        submit=_("Send invitation"),
    )


@login_required
def membership_create(request, unit_id: int):
    unit = _managed_unit(request, unit_id)
    roles = selectors.role_choices(access=request.access, organisation=unit.organisation)
    people = selectors.role_people_choices(access=request.access, unit=unit)
    form = MembershipCreateForm(request.POST or None, people=people, roles=roles)
    if request.method == "POST" and form.is_valid():
        result = apply_service(
            form,
            services.membership_create,
            actor=request.user,
            access=request.access,
            unit=unit,
            **form.cleaned_data,
        )
        if result is not None:
            messages.success(request, _("The role was assigned."))
            return redirect(unit)
    return _form_page(
        request,
        unit=unit,
        form=form,
        title=_("Assign a role in %(name)s") % {"name": unit.name},
        submit=_("Assign role"),
    )


@login_required
@require_POST
def membership_end(request, membership_id: int):
    membership = selectors.membership_get(access=request.access, membership_id=membership_id)
    unit = _managed_unit(request, membership.unit_id)
    try:
        services.membership_end(actor=request.user, access=request.access, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The role %(role)s for %(name)s has ended.")
            % {"role": membership.role.name, "name": membership.person.full_name},
        )
    return redirect(unit)


def _administered_organisation(request):
    """The person's organisation, for its settings pages: 404 for a person of none (a platform
    operator), 403 for one who does not administer it."""
    if request.access.organisation_id is None:
        raise Http404
    require(rules.can_administer(request.access, request.access.organisation_id))
    return request.user.organisation


@login_required
def organisation_settings(request):
    organisation = _administered_organisation(request)
    return render(
        request,
        "chain/organisation_settings.html",
        {
            "levels": selectors.level_list(organisation=organisation),
            "roles": selectors.role_list(organisation=organisation),
        },
    )


@login_required
def level_create(request):
    organisation = _administered_organisation(request)
    form = LevelCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        level = apply_service(
            form,
            services.level_create,
            actor=request.user,
            access=request.access,
            organisation=organisation,
            **form.cleaned_data,
        )
        if level is not None:
            messages.success(request, _("The level %(name)s was added.") % {"name": level.name})
            return redirect("chain:organisation-settings")
    return render(
        request, "chain/settings_form.html", {"form": form, "title": _("New level"), "submit": _("Add level")}
    )


@login_required
def level_rename(request, level_id: int):
    # Another organisation's level is 404 for everyone, administrators of their own included.
    level = selectors.level_get(access=request.access, level_id=level_id)
    _administered_organisation(request)
    form = LevelForm(request.POST or None, initial={"name": level.name})
    if request.method == "POST" and form.is_valid():
        result = apply_service(
            form,
            services.level_rename,
            actor=request.user,
            access=request.access,
            level=level,
            name=form.cleaned_data["name"],
        )
        if result is not None:
            messages.success(request, _("The level was renamed."))
            return redirect("chain:organisation-settings")
    return render(
        request,
        "chain/settings_form.html",
        {"form": form, "title": _("Rename the level %(name)s") % {"name": level.name}, "submit": _("Save")},
    )


@login_required
def role_create(request):
    organisation = _administered_organisation(request)
    form = RoleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = apply_service(
            form,
            services.role_create,
            actor=request.user,
            access=request.access,
            organisation=organisation,
            **form.cleaned_data,
        )
        if result is not None:
            messages.success(request, _("The role was created."))
            return redirect("chain:organisation-settings")
    return render(
        request,
        "chain/settings_form.html",
        {"form": form, "title": _("New role"), "submit": _("Create role")},
    )
