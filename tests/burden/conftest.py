import pytest
from django.utils import translation

from tests.api.test_api import api  # noqa: F401 -- the token-signed API client


@pytest.fixture(autouse=True)
def english():
    """The rules' reasons are asserted in their English msgids; the pages' Swedish is tested on the pages."""
    with translation.override("en"):
        yield
