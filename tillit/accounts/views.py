from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.accounts import selectors, services
from tillit.accounts.forms import ApiTokenForm, InvitationAcceptForm
from tillit.core.forms import add_service_errors


def invitation_accept(request, uidb64: str, token: str):
    person = selectors.invited_person(uidb64=uidb64, token=token)
    if person is None:
        return render(request, "accounts/invitation_invalid.html", status=400)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(person=person, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", error.messages)
        else:
            messages.success(request, _("Welcome! Your password is set; sign in with your e-mail address."))
            return redirect("account_login")
    return render(request, "accounts/invitation_accept.html", {"form": form, "person": person})


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.api_token_create(person=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ApiTokenForm()
    tokens = selectors.api_tokens_of(person=request.user)
    return render(
        request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@login_required
@require_POST
def api_token_revoke(request, token_id: int):
    token = selectors.api_token_of(person=request.user, token_id=token_id)
    services.api_token_revoke(person=request.user, token=token)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("accounts:api-tokens")


@login_required
def security(request):
    return render(request, "accounts/security.html")
