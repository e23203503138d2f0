"""Look-ups in the demo municipality that `tests/conftest.py` loads once for the session."""

from django.contrib.auth import get_user_model


def person(email: str):
    return get_user_model().objects.get(email=email)


def unit(name: str, organisation_slug: str = "exempelby"):
    from tillit.chain.models import Unit

    return Unit.objects.get(name=name, organisation__slug=organisation_slug)
