"""The staff site's home page tells everyone of the organisation where to report, and role holders where
their work is; another organisation sees nothing of the channel."""

import pytest

from tests.factories.whistle import whistle_world
from tillit.whistle.services import channels

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

ADDRESS = "visselblasning.localhost/vissel/"


def _home(client, person) -> str:
    client.force_login(person)
    client.cookies["django_language"] = "en"
    return client.get("/").content.decode()


def test_everyone_of_the_organisation_is_told_the_reporter_address_and_only_role_holders_the_staff_pages(
    client,
):
    world = whistle_world()
    page = _home(client, world.bystander)
    assert ADDRESS in page
    assert "/visselblasning/" not in page.replace(ADDRESS, "")
    page = _home(client, world.handlers[0])
    assert ADDRESS in page
    assert 'href="/visselblasning/"' in page


def test_another_organisation_and_a_closed_channel_show_no_address(client):
    world = whistle_world()
    assert ADDRESS not in _home(client, world.outsider)
    channels.channel_open(access=world.system, channel=world.channel, is_open=False)
    assert ADDRESS not in _home(client, world.bystander)
