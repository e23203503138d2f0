"""For the isolation test: a closed pulse of the demo's Hemtjänst Norr, answered by everyone invited, with
free text waiting for redaction."""

from datetime import timedelta

from tillit.chain.access import Access
from tillit.core.clock import frozen_at, now
from tillit.pulse import services
from tillit.pulse.models import FreeTextAnswer, PulseUnit


def pulse_targets(*, unit, person) -> dict:
    access = Access.system(unit.organisation_id)
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
