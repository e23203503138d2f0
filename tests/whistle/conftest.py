"""Whistleblowing tests build their own small worlds (tests/factories/whistle.py) and keep the encrypted
files in a directory of their own."""

import pytest


@pytest.fixture(autouse=True)
def whistle_files(settings, tmp_path):
    settings.WHISTLE_FILES_DIR = tmp_path / "whistle"
    return settings.WHISTLE_FILES_DIR


@pytest.fixture(autouse=True)
def english():
    """Services' and commands' messages are asserted in their English msgids (outside a request, the
    active language would otherwise be Swedish, the default); the pages choose their own language."""
    from django.utils import translation

    with translation.override("en"):
        yield
