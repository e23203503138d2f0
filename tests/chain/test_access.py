"""Who may read and manage what: the access model along the steering chain."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.conftest import person, unit
from tillit.chain.models import Unit
from tillit.chain.selectors import access_for

pytestmark = pytest.mark.integration

EVERY_PERSON = (
    "johan.nystrom@exempelby.se",  # enhetschef, Hemtjänst Norr
    "aino.korhonen@exempelby.se",  # undersköterska, Hemtjänst Norr
    "leila.hassan@exempelby.se",  # enhetschef, Ekskolan
    "karin.ekstrom@exempelby.se",  # ordförande, vård- och omsorgsnämnden
    "mikael.holm@exempelby.se",  # förvaltningschef, vård och omsorg
    "sofia.lindberg@exempelby.se",  # avdelningschef, Hemtjänsten
    "elin.wallin@exempelby.se",  # systemadministratör
    "per.sandberg@exempelby.se",  # internrevisor
    "ville.virtanen@grannby.se",  # enhetschef, Grannby kommun
)


def test_politician_reads_the_units_below_the_nämnd_and_the_chain_above_it(politician):
    access = access_for(person=politician)

    assert access.can_read(unit("Hemtjänst Norr")) is True
    assert access.can_read(unit("Vård- och omsorgsförvaltningen")) is True
    assert access.can_read(unit("Kommunfullmäktige")) is True
    assert access.can_read(unit("Ekskolan")) is False
    assert access.can_read(unit("Kommunstyrelsen")) is False


def test_staff_reads_their_own_unit_and_the_chain_above_it_but_not_beside_it(colleague):
    access = access_for(person=colleague)

    assert access.can_read(unit("Hemtjänst Norr")) is True
    assert access.can_read(unit("Hemtjänsten")) is True
    assert access.can_read(unit("Vård- och omsorgsnämnden")) is True
    assert access.can_read(unit("Kommunfullmäktige")) is True
    assert access.can_read(unit("Hemtjänst Söder")) is False
    assert access.can_read(unit("Särskilt boende")) is False


def test_manager_of_another_branch_cannot_read_hemtjänst_norr(other_branch):
    access = access_for(person=other_branch)

    assert access.can_read(unit("Hemtjänst Norr")) is False
    assert access.can_read(unit("Ekskolan")) is True
    assert access.can_read(unit("Barn- och utbildningsnämnden")) is True


def test_managing_flows_down_the_chain_only(db):
    manager = access_for(person=person("sofia.lindberg@exempelby.se"))  # avdelningschef, Hemtjänsten

    assert manager.can_manage(unit("Hemtjänsten")) is True
    assert manager.can_manage(unit("Hemtjänst Norr")) is True
    assert manager.can_manage(unit("Nattpatrullen")) is True
    assert manager.can_manage(unit("Vård- och omsorgsförvaltningen")) is False
    assert manager.can_manage(unit("Särskilt boende")) is False
    assert manager.can_read(unit("Vård- och omsorgsförvaltningen")) is True


def test_unit_manager_manages_only_their_own_unit(same_unit):
    access = access_for(person=same_unit)

    assert access.can_manage(unit("Hemtjänst Norr")) is True
    assert access.can_manage(unit("Hemtjänsten")) is False
    assert access.can_manage(unit("Hemtjänst Söder")) is False


def test_staff_and_politicians_manage_nothing(colleague, politician):
    staff, chair = access_for(person=colleague), access_for(person=politician)

    assert staff.can_manage(unit("Hemtjänst Norr")) is False
    assert chair.can_manage(unit("Vård- och omsorgsnämnden")) is False
    assert chair.can_manage(unit("Hemtjänst Norr")) is False
    assert staff.can_write(unit("Hemtjänst Norr")) is True
    assert staff.can_write(unit("Hemtjänsten")) is False


def test_administrator_reads_and_manages_the_whole_organisation_but_only_their_own(administrator):
    access = access_for(person=administrator)
    exempelby = Unit.objects.filter(organisation__slug="exempelby")
    grannby = Unit.objects.filter(organisation__slug="grannby")

    assert access.administers is True
    assert all(access.can_read(u) and access.can_manage(u) for u in exempelby)
    assert not any(access.can_read(u) or access.can_manage(u) for u in grannby)


def test_auditor_reads_the_whole_organisation_manages_nothing_and_sees_no_other(auditor):
    access = access_for(person=auditor)
    exempelby = Unit.objects.filter(organisation__slug="exempelby")
    grannby = Unit.objects.filter(organisation__slug="grannby")

    assert access.audits is True
    assert access.administers is False
    assert all(access.can_read(u) for u in exempelby)
    assert not any(access.can_manage(u) for u in exempelby)
    assert not any(access.can_read(u) for u in grannby)


def test_other_organisation_reads_and_manages_nothing_in_exempelby(other_organisation):
    access = access_for(person=other_organisation)

    assert not any(
        access.can_read(u) or access.can_manage(u) or access.can_write(u)
        for u in Unit.objects.filter(organisation__slug="exempelby")
    )


def test_anonymous_visitor_has_no_access(db, home_care_north):
    access = access_for(person=AnonymousUser())

    assert access.organisation_id is None
    assert access.can_read(home_care_north) is False
    assert Unit.objects.filter(access.readable_units_filter()).count() == 0


@pytest.mark.parametrize("email", EVERY_PERSON)
def test_readable_units_filter_equals_can_read_for_every_unit(db, email):
    access = access_for(person=person(email))
    every_unit = list(Unit.objects.all())

    by_filter = set(Unit.objects.filter(access.readable_units_filter()).values_list("pk", flat=True))
    by_check = {u.pk for u in every_unit if access.can_read(u)}

    assert by_filter == by_check
    assert by_filter  # everyone reads at least their own unit


def test_readable_unit_counts_follow_the_chain(same_unit, politician, administrator, auditor):
    exempelby_units = Unit.objects.filter(organisation__slug="exempelby").count()

    def readable(someone):
        return Unit.objects.filter(access_for(person=someone).readable_units_filter()).count()

    # Kommunfullmäktige › Vård- och omsorgsnämnden › förvaltningen › Hemtjänsten › Hemtjänst Norr
    assert readable(same_unit) == 5
    # Kommunfullmäktige, the nämnd, its förvaltning, 3 avdelningar and their 10 units, Biståndsenheten
    assert readable(politician) == 17
    assert readable(administrator) == exempelby_units
    assert readable(auditor) == exempelby_units


def test_access_ignores_ended_roles(same_unit, home_care_north):
    from django.utils import timezone

    from tillit.chain.models import Membership

    Membership.objects.filter(person=same_unit, unit=home_care_north).update(ended_at=timezone.now())

    access = access_for(person=same_unit)

    assert access.can_read(home_care_north) is False
    assert access.can_manage(home_care_north) is False
