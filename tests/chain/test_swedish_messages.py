"""Bad input is refused in the person's language: Swedish by default.

The expected Swedish text is read from the catalogue (tillit/locale/sv), so the tests check that the
services' and forms' messages reach the person translated, not the wording of one translation.
"""

import html

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import unit
from tillit.chain import services
from tillit.chain.models import Level
from tillit.chain.selectors import access_for

pytestmark = pytest.mark.integration

MOVE_UNDER_OWN = "A unit cannot be moved under itself or under one of its own sub-units."
OPEN_SUB_UNITS = "Close or move the unit's open sub-units first."
EMPTY_NAME = "Enter a name."


def swedish(message: str) -> str:
    with translation.override("sv"):
        translated = gettext(message)
    assert translated != message, f"No Swedish translation for {message!r}"
    return translated


def test_move_under_own_sub_unit_is_refused_with_the_swedish_message(administrator, home_care_north):
    expected = swedish(MOVE_UNDER_OWN)

    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.unit_move(
            actor=administrator,
            access=access_for(person=administrator),
            unit=unit("Hemtjänsten"),
            new_parent=home_care_north,
        )

    assert error.value.message_dict == {"new_parent": [expected]}


def test_empty_name_is_refused_with_the_swedish_message(same_unit, home_care_north):
    expected = swedish(EMPTY_NAME)

    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.unit_rename(
            actor=same_unit, access=access_for(person=same_unit), unit=home_care_north, name="  "
        )

    assert error.value.message_dict == {"name": [expected]}


def test_the_same_errors_are_english_when_english_is_chosen(administrator, home_care_north):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.unit_move(
            actor=administrator,
            access=access_for(person=administrator),
            unit=unit("Hemtjänsten"),
            new_parent=home_care_north,
        )

    assert error.value.message_dict == {"new_parent": [MOVE_UNDER_OWN]}


def test_close_form_shows_the_service_error_in_swedish_by_default(client, administrator):
    expected = html.escape(swedish(OPEN_SUB_UNITS))
    client.force_login(administrator)

    response = client.post(f"/units/{unit('Hemtjänsten').pk}/close/")

    assert response.status_code == 200
    assert f"<li>{expected}</li>" in response.content.decode()


def test_close_form_shows_the_service_error_in_english_when_chosen(client, administrator):
    client.force_login(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(f"/units/{unit('Hemtjänsten').pk}/close/")

    assert f"<li>{html.escape(OPEN_SUB_UNITS)}</li>" in response.content.decode()


def test_new_sub_unit_form_page_is_swedish_and_keeps_the_chosen_level(client, same_unit, home_care_north):
    level = Level.objects.get(organisation=home_care_north.organisation, name="Arbetslag")
    client.force_login(same_unit)

    response = client.post(f"/units/{home_care_north.pk}/new-sub-unit/", {"name": "", "level": level.pk})

    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert html.escape(swedish("Check the fields marked below.")) in page
    assert f'<option value="{level.pk}" selected>Arbetslag</option>' in page
