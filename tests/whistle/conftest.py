"""Whistleblowing tests build their own small worlds (tests/factories/whistle.py) and keep the encrypted
files in a directory of their own."""

import pytest


@pytest.fixture(autouse=True)
def whistle_files(settings, tmp_path):
    settings.WHISTLE_FILES_DIR = tmp_path / "whistle"
    return settings.WHISTLE_FILES_DIR
