import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import unit
from tillit.agreements.models import Purpose
from tillit.agreements.selectors import purpose_summary
from tillit.agreements.services import purpose_write
from tillit.audit.models import AuditEvent
from tillit.chain.selectors import access_for

pytestmark = pytest.mark.integration


def test_demo_purpose_has_two_versions_and_both_authors(home_care_north):
    purpose, authors = purpose_summary(unit=home_care_north)

    assert purpose.version == 2
    assert purpose.author.full_name == "Aino Korhonen"
    assert [a.full_name for a in authors] == ["Johan Nyström", "Aino Korhonen"]


def test_staff_member_writes_a_new_version_and_the_audit_log_keeps_before_and_after(
    colleague, home_care_north
):
    before, _authors = purpose_summary(unit=home_care_north)

    purpose = purpose_write(
        actor=colleague,
        access=access_for(person=colleague),
        unit=home_care_north,
        statement="  Trygghet hemma.\n\n Andra stycket.  ",
        serves="Äldre i norr",
        valued="",
    )

    assert purpose.version == before.version + 1
    assert purpose.statement == "Trygghet hemma.\n\n Andra stycket."
    event = AuditEvent.objects.filter(action="purpose.written", target_id=purpose.pk).get()
    assert event.actor == colleague
    assert event.before["statement"] == before.statement
    assert event.after == {
        "statement": "Trygghet hemma.\n\n Andra stycket.",
        "serves": "Äldre i norr",
        "valued": "",
    }


def test_saving_the_same_text_creates_no_new_version(colleague, home_care_north):
    current, _authors = purpose_summary(unit=home_care_north)

    again = purpose_write(
        actor=colleague,
        access=access_for(person=colleague),
        unit=home_care_north,
        statement=current.statement,
        serves=current.serves,
        valued=current.valued,
    )

    assert again.pk == current.pk
    assert Purpose.objects.filter(unit=home_care_north).count() == 2


@pytest.mark.parametrize("persona", ["politician", "other_branch", "auditor"])
def test_only_the_units_own_people_write_its_purpose(request, persona, home_care_north):
    person = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        purpose_write(
            actor=person, access=access_for(person=person), unit=home_care_north, statement="Nytt syfte"
        )


def test_an_empty_statement_is_refused_in_swedish(colleague, home_care_north):
    with pytest.raises(ValidationError) as error:
        purpose_write(
            actor=colleague, access=access_for(person=colleague), unit=home_care_north, statement="   "
        )

    assert error.value.message_dict == {"statement": ["Beskriv vad arbetet är till för."]}


def test_purpose_form_keeps_the_input_when_the_statement_is_missing(client, colleague, home_care_north):
    client.force_login(colleague)

    response = client.post(
        f"/units/{home_care_north.pk}/purpose/", {"statement": "", "serves": "Mina brukare", "valued": "Tid"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Mina brukare" in page
    assert Purpose.objects.filter(unit=home_care_north).count() == 2


def test_purpose_form_saves_and_the_unit_page_shows_it(client, colleague, home_care_north):
    client.force_login(colleague)

    response = client.post(
        f"/units/{home_care_north.pk}/purpose/",
        {"statement": "Att äldre känner sig trygga hemma.", "serves": "Äldre", "valued": "Kontinuitet"},
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == home_care_north.get_absolute_url()
    assert "Att äldre känner sig trygga hemma." in page
    assert "Aino Korhonen" in page


def test_the_level_above_reads_the_purpose_but_gets_no_edit_form(client, politician, home_care_north):
    client.force_login(politician)

    page = client.get(home_care_north.get_absolute_url()).content.decode()
    edit = client.get(f"/units/{home_care_north.pk}/purpose/")

    assert "samma ansikten" in page
    assert edit.status_code == 403


def test_another_organisation_never_sees_the_purpose(client, other_organisation, home_care_north):
    client.force_login(other_organisation)

    assert client.get(f"/units/{home_care_north.pk}/purpose/history/").status_code == 404
    assert client.get(f"/api/v1/units/{home_care_north.pk}/purpose").status_code == 404


def test_history_lists_every_version_newest_first(client, politician, home_care_north):
    client.force_login(politician)

    page = client.get(f"/units/{home_care_north.pk}/purpose/history/").content.decode()

    assert page.index("Version 2") < page.index("Version 1")


def test_api_returns_the_current_purpose_or_null(client, politician, home_care_north):
    client.force_login(politician)
    without_purpose = unit("Hemtjänst Söder")

    purpose = client.get(f"/api/v1/units/{home_care_north.pk}/purpose").json()
    missing = client.get(f"/api/v1/units/{without_purpose.pk}/purpose")

    assert purpose["version"] == 2
    assert purpose["authors"] == ["Johan Nyström", "Aino Korhonen"]
    assert missing.status_code == 200
    assert missing.json() is None
