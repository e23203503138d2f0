"""The pulse's whole round through the services: prepare, open, answer, close, read."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories.pulse import pulse_opened, pulse_world
from tillit.chain.access import Access
from tillit.chain.selectors import access_for
from tillit.pulse import selectors, services
from tillit.pulse.models import Invitation, PulseCell, Response

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def test_a_round_from_invitation_to_frozen_results():
    world = pulse_world({"Norr": 6, "Söder": 7})
    pulse, tokens = pulse_opened(world)
    assert pulse.invited == 14  # 13 staff and the manager
    assert Invitation.objects.filter(pulse=pulse).count() == 14
    for index, token in enumerate(tokens.values()):
        services.pulse_answer(token=token, answers=dict.fromkeys(pulse.items, 1 + index % 5))
    assert Response.objects.filter(pulse=pulse, answers__isnull=False).count() == 14
    with pytest.raises(ValidationError):
        services.pulse_answer(token=next(iter(tokens.values())), answers={pulse.items[0]: 3})
    pulse = services.pulse_close(
        actor=world.manager, access=Access.system(world.organisation.pk), pulse=pulse
    )
    assert PulseCell.objects.filter(pulse=pulse, published=True).exists()
    own = selectors.results_for(access_for(person=world.people["Norr"][0]), pulse)
    assert [result.pulse_unit.name for result in own] == ["Förvaltning", "Norr"]
