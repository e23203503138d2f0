"""Who hears about a removal proposal and a request for data: the unit that must answer, then the asker."""

import pytest

from tests.burden.factories import requirement
from tests.conftest import person, unit
from tillit.burden import services
from tillit.chain.selectors import access_for
from tillit.notifications.models import Notification

pytestmark = pytest.mark.integration


def notified(kind: str) -> list[str]:
    rows = Notification.objects.filter(kind=kind).select_related("person").order_by("person__full_name")
    return [row.person.full_name for row in rows]


def test_a_removal_proposal_asks_the_requesting_units_managers_and_the_answer_returns(db):
    Notification.objects.all().delete()
    norr, johan, sofia = (
        unit("Hemtjänst Norr"),
        person("johan.nystrom@exempelby.se"),
        person("sofia.lindberg@exempelby.se"),
    )
    weekly = requirement(
        norr, name="Veckorapport beläggning", requester="Hemtjänsten", requester_unit=norr.parent
    )

    proposal = services.removal_propose(
        actor=johan, access=access_for(person=johan), requirement=weekly, reason="Ingen läser den."
    )
    assert notified("reporting.removal_proposed") == ["Sofia Lindberg"]

    services.removal_answer(
        actor=sofia,
        access=access_for(person=sofia),
        proposal=proposal,
        answer="remove",
        answer_text="Vi slutar.",
    )
    answered = Notification.objects.get(kind="reporting.removal_answered")
    assert answered.person == johan
    assert answered.params == {"unit": "Hemtjänsten", "subject": "Veckorapport beläggning"}


def test_an_outside_requester_is_not_notified_in_tillit(db):
    Notification.objects.all().delete()
    norr, johan = unit("Hemtjänst Norr"), person("johan.nystrom@exempelby.se")
    ivo = requirement(norr, name="Kvartalsrapport", requester="IVO")

    services.removal_propose(
        actor=johan, access=access_for(person=johan), requirement=ivo, reason="Dubblerad."
    )

    assert notified("reporting.removal_proposed") == []


def test_a_data_request_goes_to_the_support_function_and_its_answer_to_the_asker(db):
    Notification.objects.all().delete()
    norr, aino = unit("Hemtjänst Norr"), person("aino.korhonen@exempelby.se")
    support = unit("Analys och uppföljning")

    request = services.data_request_create(
        actor=aino,
        access=access_for(person=aino),
        unit=norr,
        to_unit=support,
        what="Fall per veckodag",
        why="Mönster",
    )
    helpers = notified("data_request.created")
    assert len(helpers) == 4  # the unit's three analysts and its manager write there
    assert "Aino Korhonen" not in helpers

    analyst = Notification.objects.filter(kind="data_request.created").first().person
    services.data_request_answer(
        actor=analyst, access=access_for(person=analyst), request=request, answer="Bifogat i rapporten."
    )
    assert "Aino Korhonen" in notified("data_request.answered")
    assert "Johan Nyström" in notified("data_request.answered")  # the asking unit's manager too
