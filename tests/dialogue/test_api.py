"""The joint looks in the JSON API: the same looks and the same access as the pages."""

import pytest

from tillit.chain.selectors import access_for
from tillit.dialogue import services
from tillit.dialogue.enums import Outcome

pytestmark = pytest.mark.integration


def test_a_branch_lists_its_looks_and_one_look_has_its_record(api, home_care_north, same_unit):
    access = access_for(person=same_unit)
    look = services.joint_look_open(actor=same_unit, access=access, unit=home_care_north, subject="Nattbesök")
    services.joint_look_note_add(
        actor=same_unit, access=access, look=look, prompt="what_happened", text="Ny rutt."
    )
    services.joint_look_close(
        actor=same_unit, access=access, look=look, outcome=Outcome.UNDERSTOOD, summary="Klart."
    )

    listed = api(same_unit).get(f"/api/v1/units/{home_care_north.parent_id}/joint-looks?state=closed").json()
    detail = api(same_unit).get(f"/api/v1/joint-looks/{look.pk}").json()

    assert look.pk in [row["id"] for row in listed]
    assert {row["state"] for row in listed} == {"closed"}
    assert detail["outcome"] == "understood"
    assert detail["summary"] == "Klart."
    assert detail["notes"] == [
        {
            "prompt": "what_happened",
            "text": "Ny rutt.",
            "author": "Johan Nyström",
            "created_at": detail["notes"][0]["created_at"],
        }
    ]
    assert "Johan Nyström" in detail["participants"]


def test_a_look_elsewhere_in_the_organisation_or_another_is_not_found(
    api,
    home_care_north,
    same_unit,
    other_branch,
    other_organisation,
):
    look = services.joint_look_open(
        actor=same_unit, access=access_for(person=same_unit), unit=home_care_north, subject="Nattbesök"
    )

    assert api(other_branch).get(f"/api/v1/joint-looks/{look.pk}").status_code == 404
    assert api(other_organisation).get(f"/api/v1/joint-looks/{look.pk}").status_code == 404
    assert api(other_organisation).get(f"/api/v1/units/{home_care_north.pk}/joint-looks").status_code == 404
