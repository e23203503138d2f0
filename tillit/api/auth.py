"""How a caller signs in to the API, and the one place their `Access` is computed.

Both ways of signing in set `request.access`, the attribute the pages' AccessMiddleware sets, so an
operation reads the caller's capabilities as a view does: `request.access`. It is computed on first
use (one query), so operations that never ask for it cost nothing.
"""

from django.utils.functional import SimpleLazyObject
from ninja import security

from tillit.accounts.services import api_token_authenticate
from tillit.chain.selectors import access_for


def _signed_in(request, person):
    """Attach the person and their lazily computed access to the request; return the person."""
    if person is not None:
        request.user = person
        request.access = SimpleLazyObject(lambda: access_for(person=person))
    return person


class PersonalTokenAuth(security.HttpBearer):
    """A personal API token: `Authorization: Bearer tlt_…`."""

    def authenticate(self, request, token):
        return _signed_in(request, api_token_authenticate(plain=token))


class SessionAuth(security.SessionAuth):
    """The browser session of the pages."""

    def authenticate(self, request, key):
        return _signed_in(request, super().authenticate(request, key))
