"""Builders for obstacle tests: delegation register entries (with the ORM: the register's own services
are built on another branch) and obstacles raised through the service."""

from django.contrib.auth import get_user_model

from tests.factories import demo
from tillit.chain.models import Unit
from tillit.chain.selectors import access_for
from tillit.delegation.models import DelegationEntry, DelegationRegister, RegisterVersion
from tillit.delegation.services import search_texts_rebuild
from tillit.obstacles import services

person, unit = demo.person, demo.unit  # the obstacle tests import them from here


def register_entry(
    *, register_unit: Unit, delegate: str, matter: str, code: str = "", group: str = "Övrigt", role=None
):
    """An entry in force in the register of `register_unit` (the register and version made if missing)."""
    register, _created = DelegationRegister.objects.get_or_create(
        unit=register_unit,
        defaults={
            "organisation_id": register_unit.organisation_id,
            "name": f"Delegationsordning {register_unit.name}",
        },
    )
    version = register.versions.filter(in_force=True).first()
    if version is None:
        version = RegisterVersion.objects.create(
            organisation_id=register_unit.organisation_id,
            register=register,
            number=(register.versions.count() + 1),
            in_force=True,
            created_by=person("elin.wallin@exempelby.se")
            if register_unit.organisation.slug == "exempelby"
            else get_user_model().objects.filter(organisation_id=register_unit.organisation_id).first(),
        )
    existing = version.entries.filter(matter=matter, delegate=delegate).first()
    if existing is not None:  # the demo's register may hold it already
        return existing
    entry = DelegationEntry.objects.create(
        organisation_id=register_unit.organisation_id,
        version=version,
        position=version.entries.count() + 1,
        code=code,
        matter_group=group,
        matter=matter,
        delegate=delegate,
        role=role,
    )
    search_texts_rebuild()  # the register's search index on SQLite follows the service's stemmed texts
    return entry


def raise_obstacle(*, raiser, raised_in: Unit, title="Bilarna räcker inte till", shows_name=False, **kwargs):
    return services.obstacle_raise(
        actor=raiser,
        access=access_for(person=raiser),
        unit=raised_in,
        title=title,
        affects=kwargs.pop("affects", "Brukarna"),
        proposal=kwargs.pop("proposal", "Fler bilar"),
        shows_name=shows_name,
        **kwargs,
    )


def obstacle_targets(*, unit: Unit) -> dict:
    """An obstacle raised anonymously in the unit by a colleague (for tests/test_isolation.py)."""
    aino = person("aino.korhonen@exempelby.se")
    obstacle = raise_obstacle(raiser=aino, raised_in=unit, title="Isolationstestets hinder")
    return {"obstacle_id": obstacle.pk}
