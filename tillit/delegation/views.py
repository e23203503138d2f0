"""Pages of the delegation register: the registers, their versions, the import and the search."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.forms import add_service_errors
from tillit.core.imports import problems_context, upload_store
from tillit.core.permissions import require
from tillit.delegation import imports, rules, selectors, services
from tillit.delegation.forms import AdoptForm, RegisterCreateForm, RegisterImportForm, SearchForm

MAX_HOLDERS_SHOWN = 8


@login_required
def register_list(request):
    return render(
        request,
        "delegation/register_list.html",
        {
            "registers": selectors.register_list(organisation_id=request.access.organisation_id),
            "can_create": rules.can_create_register(request.access),
            "search_form": SearchForm(),
        },
    )


@login_required
def register_create(request):
    require(rules.can_create_register(request.access))
    form = RegisterCreateForm(
        request.POST or None, units=selectors.register_unit_choices(access=request.access)
    )
    if request.method == "POST" and form.is_valid():
        try:
            register = services.register_create(
                actor=request.user,
                access=request.access,
                unit=form.cleaned_data["unit"],
                name=form.cleaned_data["name"],
            )
        except PermissionDenied:
            form.add_error("unit", _("You do not manage this unit."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The register is created. Import its first version from a file."))
            return redirect("delegation:register-import", register_id=register.pk)
    return render(request, "delegation/register_form.html", {"form": form})


def _version_context(version) -> dict:
    entries = selectors.version_entries(version=version)
    return {"version": version, "groups": selectors.entries_grouped(entries), "entry_count": len(entries)}


@login_required
def register_detail(request, register_id: int):
    register = selectors.register_get_readable(access=request.access, register_id=register_id)
    in_force = selectors.register_version_in_force(register=register)
    context = {
        "register": register,
        "versions": selectors.register_versions(register=register),
        "can_manage": rules.can_manage_register(request.access, register),
    }
    if in_force is not None:
        context |= _version_context(in_force)
    return render(request, "delegation/register_detail.html", context)


@login_required
def version_detail(request, register_version_id: int):
    version = selectors.register_version_get_readable(access=request.access, version_id=register_version_id)
    return render(
        request,
        "delegation/version_detail.html",
        {
            "register": version.register,
            "changes": selectors.version_changes(version=version),
            "previous": selectors.version_previous(version=version),
            **_version_context(version),
        },
    )


@login_required
def version_download(request, register_version_id: int):
    version = selectors.register_version_get_readable(access=request.access, version_id=register_version_id)
    swedish = translation.get_language() == "sv"
    content = imports.register_csv(entries=selectors.version_entries(version=version), swedish=swedish)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = "delegationsordning" if swedish else "delegation-register"
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{version.register_id}-v{version.number}.csv"'
    )
    return response


@login_required
def import_template(request):
    swedish = translation.get_language() == "sv"
    example = (
        (
            "1.1",
            "Allmänna ärenden",
            "Beslut i brådskande ärenden",
            "Ordförande",
            "6 kap. 39 § KL",
            "nej",
            "Vid nästa sammanträde",
            "Vice ordförande",
            "",
        ),
    )
    response = HttpResponse(
        imports.template_csv(swedish=swedish, rows=example), content_type="text/csv; charset=utf-8"
    )
    filename = "delegationsordning-mall.csv" if swedish else "delegation-register-template.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def import_upload(request, register_id: int):
    register = selectors.register_get_readable(access=request.access, register_id=register_id)
    require(rules.can_manage_register(request.access, register))
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    register_import = upload_store(request, form, services.register_import_create, register=register)
    if register_import is not None:
        return redirect("delegation:import-detail", register_import_id=register_import.pk)
    return render(
        request,
        "delegation/import_upload.html",
        {
            "register": register,
            "form": form,
            "recent": selectors.register_imports_recent(register=register),
        },
    )


def _import_context(register_import, form) -> dict:
    context = {"register": register_import.register, "register_import": register_import, "form": form}
    if register_import.applied_at is None:
        preview = selectors.register_import_preview(register_import=register_import)
        context |= {
            "preview": preview,
            **problems_context(preview.problems),
        }
    return context


@login_required
def import_detail(request, register_import_id: int):
    register_import = selectors.register_import_get_readable(
        access=request.access, import_id=register_import_id
    )
    require(rules.can_manage_register(request.access, register_import.register))
    return render(request, "delegation/import_detail.html", _import_context(register_import, AdoptForm()))


@login_required
@require_POST
def import_apply(request, register_import_id: int):
    register_import = selectors.register_import_get_readable(
        access=request.access, import_id=register_import_id
    )
    require(rules.can_manage_register(request.access, register_import.register))
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            version = services.register_import_apply(
                actor=request.user,
                access=request.access,
                register_import=register_import,
                decision=form.cleaned_data["decision"],
                adopted_on=form.cleaned_data["adopted_on"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                for message in error.messages[:20]:
                    messages.error(request, message)
                return redirect("delegation:import-detail", register_import_id=register_import.pk)
        else:
            if version is None:
                messages.info(
                    request,
                    _("The file says exactly what the version in force says: no new version was adopted."),
                )
            else:
                messages.success(
                    request, _("Version %(number)d is adopted and in force.") % {"number": version.number}
                )
            return redirect("delegation:register-detail", register_id=register_import.register_id)
    return render(request, "delegation/import_detail.html", _import_context(register_import, form))


def _search_hits(request, query: str) -> list[dict]:
    entries = selectors.entries_search(
        organisation_id=request.access.organisation_id, query=query, limit=10, person=request.user
    )
    holders_of = selectors.entries_holders(entries=entries, person=request.user)
    hits = []
    for entry in entries:
        holders = holders_of[entry.pk]
        hits.append(
            {
                "entry": entry,
                # A person's page is linked where the asker may read it (a unit in their chain).
                "holders": [
                    {"membership": membership, "linked": request.access.can_read(membership.unit)}
                    for membership in holders[:MAX_HOLDERS_SHOWN]
                ],
                "more_holders": max(0, len(holders) - MAX_HOLDERS_SHOWN),
            }
        )
    return hits


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = {"form": form, "query": query, "hits": _search_hits(request, query) if query else []}
    template = "delegation/search.html#results" if request.htmx else "delegation/search.html"
    return render(request, template, context)
