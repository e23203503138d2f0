from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.accounts import services
from tillit.accounts.forms import ApiTokenForm, InvitationAcceptForm
from tillit.accounts.models import ApiToken
from tillit.core.forms import add_service_errors


def _invited_person(uidb64: str, token: str):
    try:
        person_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        return None
    person = get_user_model().objects.filter(pk=person_id, is_active=True).first()
    if person is None or not default_token_generator.check_token(person, token):
        return None
    return person


def invitation_accept(request, uidb64: str, token: str):
    person = _invited_person(uidb64, token)
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
    tokens = ApiToken.objects.filter(person=request.user)
    return render(
        request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@login_required
@require_POST
def api_token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, person=request.user)
    services.api_token_revoke(person=request.user, token=token)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("accounts:api-tokens")


@login_required
def security(request):
    return render(request, "accounts/security.html")
