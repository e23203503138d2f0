"""The one way a service refuses: `require(can_…(…))`, with the rule named in an app's `rules.py`."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied (a 403, or the API's 403) unless the predicate allowed it."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this here."))
