import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """The rules' reasons are asserted in their English msgids; the pages' Swedish is tested on the pages."""
    with translation.override("en"):
        yield
