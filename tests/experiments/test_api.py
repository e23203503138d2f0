"""Experiments in the JSON API: a unit's list, one with its evidence, and the archive."""

import pytest

from tests.conftest import unit

pytestmark = pytest.mark.integration


def test_a_units_experiments_and_one_with_its_evidence(api, same_unit, home_care_north):
    listed = api(same_unit).get(f"/api/v1/units/{home_care_north.pk}/experiments").json()
    teams = next(row for row in listed if row["title"] == "Fasta team i planeringen")
    detail = api(same_unit).get(f"/api/v1/experiments/{teams['id']}").json()

    assert teams["decision"] == "adopt"
    assert detail["evidence"][0]["indicator"] == "Personalkontinuitet"
    assert detail["evidence"][0]["verdict"] == "expected"
    assert detail["evidence"][0]["mean_after"] < detail["evidence"][0]["mean_before"]


def test_the_archive_searches_and_another_organisation_sees_only_what_was_shared(
    api, other_organisation, same_unit
):
    own = api(same_unit).get("/api/v1/experiments/archive?q=fallen").json()
    grannby = api(other_organisation).get("/api/v1/experiments/archive").json()

    assert "Fallriskbedömning vid första besöket" in {row["title"] for row in own}
    assert {row["organisation"] for row in grannby} == {"Grannby kommun"}
    assert api(other_organisation).get(f"/api/v1/units/{home_care_north_id()}/experiments").status_code == 404


def home_care_north_id() -> int:
    return unit("Hemtjänst Norr").pk
