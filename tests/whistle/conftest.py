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


# The demo's channel, cases and log, deleted in dependency order inside each test's own transaction (so
# back after it): a test of this folder builds its own small world, and in a full run the demo is loaded.
DEMO_WHISTLE_TABLES = (
    "WhistleEvent",
    "SpentProof",
    "ReporterSession",
    "IdentityRequest",
    "Attachment",
    "Message",
    "Exclusion",
    "IdentityKeyCopy",
    "ReportKeyCopy",
    "Report",
    "EscrowCopy",
    "Keyring",
    "ChannelRole",
    "Channel",
)


@pytest.fixture(autouse=True)
def without_the_demos_channel(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None or marker.kwargs.get("transaction"):
        yield
        return
    request.getfixturevalue("db")
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The log's append-only trigger refuses DELETE; for this transaction only, triggers are off.
            cursor.execute("SET LOCAL session_replication_role = replica")
        for name in DEMO_WHISTLE_TABLES:
            apps.get_model("whistle", name).objects.all()._raw_delete(connection.alias)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    yield
