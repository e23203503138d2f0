"""Reads about people: an invited person behind a link, and one's own API tokens."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from tillit.accounts.models import ApiToken


def invited_person(*, uidb64: str, token: str):
    """The active person an invitation link names, if its token is still good; else None."""
    try:
        person_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        return None
    person = get_user_model().objects.filter(pk=person_id, is_active=True).first()
    if person is None or not default_token_generator.check_token(person, token):
        return None
    return person


def api_tokens_of(*, person) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(person=person)


def api_token_of(*, person, token_id: int) -> ApiToken:
    """One of the person's own tokens, else 404."""
    token = api_tokens_of(person=person).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token
