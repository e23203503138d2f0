"""A moved unit takes its looks, requirements and analysis results with it: every list of the old branch
stops showing them and every list of the new branch shows them, in the move's own transaction."""

import pytest
from django.apps import apps

from tillit.burden.selectors import requirements_in_subtree
from tillit.chain import services
from tillit.chain.models import Unit, UnitPathCopy
from tillit.chain.selectors import access_for
from tillit.dialogue.models import JointLook
from tillit.dialogue.selectors import looks_in_subtree
from tillit.followup.models import AnalysisResult
from tillit.followup.selectors import joint_look_overview, subtree_look_counts
from tillit.obstacles.selectors import unit_obstacles

pytestmark = pytest.mark.django_db


def test_every_model_that_copies_a_unit_path_is_rewritten_by_a_move():
    copying = {model for model in apps.get_models() if "unit_path" in {f.name for f in model._meta.fields}}

    assert copying == set(UnitPathCopy.models())
    assert {model.__name__ for model in copying} >= {"AnalysisResult", "JointLook", "ReportingRequirement"}


def _lists_of(access, branch: Unit) -> dict[str, set[int]]:
    overview = joint_look_overview(access=access, unit=branch)
    return {
        "looks": set(looks_in_subtree(access=access, unit=branch).values_list("unit_id", flat=True)),
        "needs_look": {result.unit_id for result in overview.items},
        "requirements": set(
            requirements_in_subtree(access=access, unit=branch).values_list("unit_id", flat=True)
        ),
    }


def test_a_moved_unit_leaves_its_old_branch_and_joins_the_new_one_in_every_list(
    administrator, home_care_north
):
    access = access_for(person=administrator)
    old_branch = home_care_north.parent
    new_branch = Unit.objects.get(name="Särskilt boende", organisation=home_care_north.organisation)
    moved = home_care_north.pk
    before_old, before_new = _lists_of(access, old_branch), _lists_of(access, new_branch)
    counts_old_before = subtree_look_counts(access=access, unit=old_branch)
    raised_before, received_before = unit_obstacles(unit=home_care_north)
    # The world could leak: the unit has something in each list before the move.
    assert all(moved in units for units in before_old.values()), before_old
    assert not any(moved in units for units in before_new.values()), before_new
    assert raised_before

    services.unit_move(actor=administrator, access=access, unit=home_care_north, new_parent=new_branch)

    home_care_north.refresh_from_db()
    after_old, after_new = _lists_of(access, old_branch), _lists_of(access, new_branch)
    for name in before_old:
        assert moved not in after_old[name], name
        assert moved in after_new[name], name
        assert after_old[name] == before_old[name] - {moved}, name
        assert after_new[name] == before_new[name] | {moved}, name
    assert subtree_look_counts(access=access, unit=old_branch) != counts_old_before
    for model in (AnalysisResult, JointLook):
        paths = set(model.objects.filter(unit=home_care_north).values_list("unit_path", flat=True))
        assert paths == {home_care_north.path}, model
    # Obstacles follow the unit itself, not a copy of its path: the unit's lists are unchanged.
    assert unit_obstacles(unit=home_care_north) == (raised_before, received_before)


def test_the_copies_of_a_unit_below_the_moved_one_are_rewritten_too(administrator):
    access = access_for(person=administrator)
    department = Unit.objects.get(name="Hemtjänsten", organisation__slug="exempelby")
    new_parent = Unit.objects.get(name="Individ- och familjeomsorgen", organisation__slug="exempelby")
    below = list(Unit.objects.filter(path__startswith=department.path).exclude(pk=department.pk))
    assert below
    assert JointLook.objects.filter(unit__in=below).exists()

    services.unit_move(actor=administrator, access=access, unit=department, new_parent=new_parent)

    for model in UnitPathCopy.models():
        stale = model.objects.select_related("unit").filter(organisation_id=department.organisation_id)
        assert [row.pk for row in stale if row.unit_path != row.unit.path] == [], model
