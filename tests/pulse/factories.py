"""For the isolation test: a closed pulse of the demo's Hemtjänst Norr, answered by everyone invited, with
free text waiting for redaction."""

from datetime import timedelta

from django.contrib.auth import get_user_model

from tillit.chain import services as chain
from tillit.chain.access import Access
from tillit.chain.models import Membership, Role
from tillit.core.clock import frozen_at, now
from tillit.pulse import services
from tillit.pulse.models import FreeTextAnswer, PulseUnit

FREE_TEXT_ANSWERS = 10


def _staff_up_to(unit, count: int) -> None:
    present = Membership.objects.filter(unit=unit, ended_at__isnull=True).count()
    role = Role.objects.filter(organisation_id=unit.organisation_id, can_manage=False).order_by("pk").first()
    for index in range(present, count):
        someone = get_user_model().objects.create_user(
            f"puls-{index}@{unit.organisation.slug}.test",
            full_name=f"Medarbetare {index}",
            organisation=unit.organisation,
        )
        chain.membership_create(
            access=Access.system(unit.organisation_id), person=someone, unit=unit, role=role
        )


def pulse_targets(*, unit, person) -> dict:
    access = Access.system(unit.organisation_id)
    _staff_up_to(unit, FREE_TEXT_ANSWERS)  # free text is shown (and released) only from ten answers
    tokens: list[str] = []
    with frozen_at(now() - timedelta(days=20)):
        pulse = services.pulse_create(
            actor=person,
            access=access,
            scope=unit,
            title="Isoleringspuls",
            closes_on=(now() + timedelta(days=10)).date(),
            asks_free_text=True,
        )
        services.pulse_open(actor=person, access=access, pulse=pulse)
        services.pulse_invitations_send(
            pulse_id=pulse.pk, deliver=lambda _person, token: tokens.append(token)
        )
        for token in tokens:
            services.pulse_answer(
                token=token,
                answers={code: 4 if len(code) % 2 else 3 for code in pulse.items},
                free_text="Mer tid",
            )
    services.pulse_close(actor=person, access=access, pulse=pulse)
    answer = FreeTextAnswer.objects.filter(pulse=pulse).exclude(text="").order_by("id").first()
    return {
        "pulse_id": pulse.pk,
        "pulse_unit_id": PulseUnit.objects.get(pulse=pulse, unit=unit).pk,
        "answer_id": answer.pk,
    }
