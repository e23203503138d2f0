"""Writes to the steering chain: checked, done in one transaction, and written to the audit log."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.conftest import person, unit
from tillit.accounts.services import person_invite
from tillit.audit.models import AuditEvent
from tillit.chain import services
from tillit.chain.access import Access
from tillit.chain.models import Level, Membership, Organisation, Role, Unit
from tillit.chain.selectors import access_for

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def english():
    """The messages below are asserted in English; the Swedish ones have tests of their own."""
    with translation.override("en"):
        yield


def level(name: str, organisation_slug: str = "exempelby") -> Level:
    return Level.objects.get(name=name, organisation__slug=organisation_slug)


def role(name: str, organisation_slug: str = "exempelby") -> Role:
    return Role.objects.get(name=name, organisation__slug=organisation_slug)


def last_event(action: str, target) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, target_id=target.pk).latest("id")


def event_values(event: AuditEvent) -> dict:
    return {
        "action": event.action,
        "actor": event.actor.full_name if event.actor else None,
        "unit": event.unit.name if event.unit else None,
        "organisation": event.organisation.slug,
        "target_type": event.target_type,
        "target_label": event.target_label,
        "before": event.before,
        "after": event.after,
    }


def sofia():
    """Sofia Lindberg, avdelningschef of Hemtjänsten: manages Hemtjänst Norr and its siblings."""
    return person("sofia.lindberg@exempelby.se")


# --- unit_create ------------------------------------------------------------------------------------


def test_manager_creates_a_sub_unit_with_path_depth_and_audit_event(same_unit, home_care_north):
    new = services.unit_create(
        actor=same_unit,
        access=access_for(person=same_unit),
        organisation=home_care_north.organisation,
        parent=home_care_north,
        level=level("Arbetslag"),
        name="  Kvälls   gruppen ",
    )

    assert new.name == "Kvälls gruppen"
    assert new.parent == home_care_north
    assert new.path == f"{home_care_north.path}{new.pk}/"
    assert new.depth == home_care_north.depth + 1 == 5
    assert event_values(last_event("unit.created", new)) == {
        "action": "unit.created",
        "actor": "Johan Nyström",
        "unit": "Kvälls gruppen",
        "organisation": "exempelby",
        "target_type": "chain.unit",
        "target_label": "Kvälls gruppen",
        "before": None,
        "after": {"name": "Kvälls gruppen", "level": "Arbetslag", "parent": "Hemtjänst Norr"},
    }


def test_unit_create_refuses_an_empty_name(same_unit, home_care_north):
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            actor=same_unit,
            access=access_for(person=same_unit),
            organisation=home_care_north.organisation,
            parent=home_care_north,
            level=level("Arbetslag"),
            name="   ",
        )

    assert error.value.message_dict == {"name": ["Enter a name."]}


def test_unit_create_refuses_another_organisations_level(same_unit, home_care_north):
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            actor=same_unit,
            access=access_for(person=same_unit),
            organisation=home_care_north.organisation,
            parent=home_care_north,
            level=level("Arbetslag", "grannby"),
            name="Kvällsgruppen",
        )

    assert error.value.message_dict == {"level": ["Choose one of the organisation's levels."]}


def test_an_administrator_creates_a_top_unit(administrator, home_care_north):
    organisation = home_care_north.organisation

    top = services.unit_create(
        actor=administrator,
        access=access_for(person=administrator),
        organisation=organisation,
        parent=None,
        level=level("Fullmäktige"),
        name="Kommunala bolag",
    )

    assert (top.path, top.depth, top.parent_id) == (f"/{top.pk}/", 0, None)


# --- unit_rename --------------------------------------------------------------------------------------


def test_manager_renames_a_unit_and_changes_its_level(same_unit, home_care_north):
    services.unit_rename(
        actor=same_unit,
        access=access_for(person=same_unit),
        unit=home_care_north,
        name="Hemtjänst Nord",
        level=level("Enhet"),
    )

    home_care_north.refresh_from_db()
    assert (home_care_north.name, home_care_north.level.name) == ("Hemtjänst Nord", "Enhet")
    event = last_event("unit.renamed", home_care_north)
    assert (event.actor, event.unit, event.before, event.after) == (
        same_unit,
        home_care_north,
        {"name": "Hemtjänst Norr", "level": "Arbetslag"},
        {"name": "Hemtjänst Nord", "level": "Enhet"},
    )


# --- unit_move ------------------------------------------------------------------------------------------


def test_moving_a_unit_rewrites_the_paths_and_depths_of_its_whole_subtree(administrator, home_care_north):
    access = access_for(person=administrator)
    organisation = home_care_north.organisation
    team = services.unit_create(
        actor=administrator,
        access=access,
        organisation=organisation,
        parent=home_care_north,
        level=level("Arbetslag"),
        name="Team A",
    )
    subteam = services.unit_create(
        actor=administrator,
        access=access,
        organisation=organisation,
        parent=team,
        level=level("Arbetslag"),
        name="Team A1",
    )
    new_parent = unit("Vård- och omsorgsförvaltningen")

    moved = services.unit_move(
        actor=administrator, access=access, unit=home_care_north, new_parent=new_parent
    )

    team.refresh_from_db()
    subteam.refresh_from_db()
    norr_path = f"{new_parent.path}{home_care_north.pk}/"
    assert (moved.parent_id, moved.path, moved.depth) == (new_parent.pk, norr_path, 3)
    assert (team.path, team.depth) == (f"{norr_path}{team.pk}/", 4)
    assert (subteam.path, subteam.depth) == (f"{norr_path}{team.pk}/{subteam.pk}/", 5)
    assert moved.ancestor_ids == [int(part) for part in new_parent.path.strip("/").split("/")]
    event = last_event("unit.moved", home_care_north)
    assert (event.actor, event.unit, event.before, event.after) == (
        administrator,
        moved,
        {"parent": "Hemtjänsten"},
        {"parent": "Vård- och omsorgsförvaltningen"},
    )


def test_moving_keeps_the_units_members_reading_the_new_chain(administrator, colleague, home_care_north):
    services.unit_move(
        actor=administrator,
        access=access_for(person=administrator),
        unit=home_care_north,
        new_parent=unit("Särskilt boende"),
    )

    access = access_for(person=colleague)
    assert access.can_read(unit("Särskilt boende")) is True
    assert access.can_read(unit("Hemtjänsten")) is False


def test_a_unit_cannot_be_moved_under_its_own_descendant(administrator, home_care_north):
    hemtjansten = unit("Hemtjänsten")
    path_before = hemtjansten.path

    with pytest.raises(ValidationError) as error:
        services.unit_move(
            actor=administrator,
            access=access_for(person=administrator),
            unit=hemtjansten,
            new_parent=home_care_north,
        )

    assert error.value.message_dict == {
        "new_parent": ["A unit cannot be moved under itself or under one of its own sub-units."]
    }
    hemtjansten.refresh_from_db()
    assert hemtjansten.path == path_before


def test_a_unit_cannot_be_moved_under_itself(administrator, home_care_north):
    with pytest.raises(ValidationError) as error:
        services.unit_move(
            actor=administrator,
            access=access_for(person=administrator),
            unit=home_care_north,
            new_parent=home_care_north,
        )

    assert error.value.message_dict == {
        "new_parent": ["A unit cannot be moved under itself or under one of its own sub-units."]
    }


def test_the_top_of_the_chain_cannot_be_moved(administrator):
    top = unit("Kommunfullmäktige")

    with pytest.raises(ValidationError) as error:
        services.unit_move(
            actor=administrator,
            access=access_for(person=administrator),
            unit=top,
            new_parent=unit("Kommunstyrelsen"),
        )

    assert error.value.message_dict == {"new_parent": ["The top of the chain cannot be moved."]}
    top.refresh_from_db()
    assert (top.parent_id, top.depth, top.path) == (None, 0, f"/{top.pk}/")


def test_a_unit_cannot_be_moved_under_a_closed_unit(administrator, home_care_north):
    access = access_for(person=administrator)
    night = services.unit_close(actor=administrator, access=access, unit=unit("Nattpatrullen"))

    with pytest.raises(ValidationError) as error:
        services.unit_move(actor=administrator, access=access, unit=home_care_north, new_parent=night)

    assert error.value.message_dict == {"new_parent": ["A unit cannot be moved under a closed unit."]}


# --- unit_close -----------------------------------------------------------------------------------------


def test_closing_a_unit_ends_its_roles_and_keeps_its_history(home_care_north):
    manager = sofia()
    active_before = set(
        Membership.objects.filter(unit=home_care_north, ended_at__isnull=True).values_list("pk", flat=True)
    )

    services.unit_close(actor=manager, access=access_for(person=manager), unit=home_care_north)

    home_care_north.refresh_from_db()
    memberships = Membership.objects.filter(unit=home_care_north)
    assert home_care_north.closed_at is not None
    assert len(active_before) == 6
    assert set(memberships.values_list("pk", flat=True)) == active_before
    assert memberships.filter(ended_at__isnull=True).count() == 0
    assert set(memberships.values_list("ended_at", flat=True)) == {home_care_north.closed_at}
    assert AuditEvent.objects.filter(unit=home_care_north, action="unit.created").count() == 1
    event = last_event("unit.closed", home_care_north)
    assert (event.actor, event.before, event.after) == (
        manager,
        {"closed": False},
        {"closed": True, "roles_ended": 6},
    )
    assert AuditEvent.objects.filter(
        action="membership.ended", target_id__in=active_before, actor=manager
    ).count() == (6)


def test_closed_unit_stays_readable_from_above(home_care_north):
    manager = sofia()
    services.unit_close(actor=manager, access=access_for(person=manager), unit=home_care_north)

    home_care_north.refresh_from_db()

    assert access_for(person=manager).can_read(home_care_north) is True
    assert access_for(person=person("karin.ekstrom@exempelby.se")).can_read(home_care_north) is True


def test_a_unit_with_open_sub_units_cannot_be_closed(administrator):
    hemtjansten = unit("Hemtjänsten")

    with pytest.raises(ValidationError) as error:
        services.unit_close(actor=administrator, access=access_for(person=administrator), unit=hemtjansten)

    assert error.value.messages == ["Close or move the unit's open sub-units first."]
    hemtjansten.refresh_from_db()
    assert hemtjansten.closed_at is None


def test_the_top_of_the_chain_cannot_be_closed(administrator):
    with pytest.raises(ValidationError) as error:
        services.unit_close(
            actor=administrator, access=access_for(person=administrator), unit=unit("Kommunfullmäktige")
        )

    assert error.value.messages == ["The top of the chain cannot be closed."]


def test_a_closed_unit_cannot_be_closed_again(home_care_north):
    manager = sofia()
    services.unit_close(actor=manager, access=access_for(person=manager), unit=home_care_north)

    with pytest.raises(ValidationError) as error:
        services.unit_close(actor=manager, access=access_for(person=manager), unit=home_care_north)

    assert error.value.messages == ["The unit is already closed."]


# --- memberships ----------------------------------------------------------------------------------------


def test_manager_assigns_a_role_with_an_audit_event(same_unit, colleague, home_care_north):
    membership = services.membership_create(
        actor=same_unit,
        access=access_for(person=same_unit),
        person=colleague,
        unit=home_care_north,
        role=role("Analytiker"),
        title=" Samordnare ",
    )

    assert (membership.title, membership.organisation_id) == ("Samordnare", home_care_north.organisation_id)
    event = last_event("membership.created", membership)
    assert (event.actor, event.unit, event.before, event.after) == (
        same_unit,
        home_care_north,
        None,
        {"person": "Aino Korhonen", "role": "Analytiker", "title": "Samordnare"},
    )


def test_the_same_active_role_cannot_be_given_twice(same_unit, colleague, home_care_north):
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            actor=same_unit,
            access=access_for(person=same_unit),
            person=colleague,
            unit=home_care_north,
            role=role("Medarbetare"),
        )

    assert error.value.message_dict == {"role": ["The person already has this role in this unit."]}


def test_a_role_cannot_be_given_to_a_person_of_another_organisation(
    administrator, other_organisation, home_care_north
):
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            actor=administrator,
            access=access_for(person=administrator),
            person=other_organisation,
            unit=home_care_north,
            role=role("Medarbetare"),
        )

    assert error.value.messages == ["The person, the unit and the role must belong to the same organisation."]


def test_ending_a_role_keeps_the_membership_and_audits_it(same_unit, colleague, home_care_north):
    membership = Membership.objects.get(person=colleague, unit=home_care_north, ended_at__isnull=True)

    services.membership_end(actor=same_unit, access=access_for(person=same_unit), membership=membership)

    membership.refresh_from_db()
    assert membership.ended_at is not None
    event = last_event("membership.ended", membership)
    assert (event.actor, event.unit, event.before, event.after) == (
        same_unit,
        home_care_north,
        {"person": "Aino Korhonen", "role": "Medarbetare", "active": True},
        {"active": False},
    )
    assert access_for(person=colleague).can_read(home_care_north) is False


def test_an_ended_role_cannot_end_again(same_unit, colleague, home_care_north):
    membership = Membership.objects.get(person=colleague, unit=home_care_north, ended_at__isnull=True)
    access = access_for(person=same_unit)
    services.membership_end(actor=same_unit, access=access, membership=membership)

    with pytest.raises(ValidationError) as error:
        services.membership_end(actor=same_unit, access=access, membership=membership)

    assert error.value.messages == ["The role has already ended."]


# --- person_invite ----------------------------------------------------------------------------------------


def test_inviting_creates_a_person_without_a_usable_password(
    same_unit, home_care_north, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invited = person_invite(
            actor=same_unit,
            access=access_for(person=same_unit),
            unit=home_care_north,
            email=" Sara.Nyberg@Exempelby.se ",
            full_name="Sara   Nyberg",
            role=role("Medarbetare"),
            title="Undersköterska",
        )

    assert (invited.email, invited.full_name) == ("sara.nyberg@exempelby.se", "Sara Nyberg")
    assert invited.organisation_id == home_care_north.organisation_id
    assert invited.has_usable_password() is False
    assert list(invited.memberships.values_list("unit__name", "role__name", "title")) == [
        ("Hemtjänst Norr", "Medarbetare", "Undersköterska")
    ]
    assert len(callbacks) == 1  # the invitation e-mail is enqueued when the transaction commits
    event = last_event("person.invited", invited)
    assert (event.actor, event.unit, event.target_type, event.before, event.after) == (
        same_unit,
        home_care_north,
        "accounts.user",
        None,
        {"name": "Sara Nyberg", "email": "sara.nyberg@exempelby.se", "role": "Medarbetare"},
    )


def test_inviting_an_address_that_exists_anywhere_is_refused_without_saying_where(same_unit, home_care_north):
    with pytest.raises(ValidationError) as error:
        person_invite(
            actor=same_unit,
            access=access_for(person=same_unit),
            unit=home_care_north,
            email="ville.virtanen@grannby.se",
            full_name="Ville Virtanen",
            role=role("Medarbetare"),
        )

    assert error.value.message_dict == {
        "email": ["This e-mail address cannot be invited. Is the person already here?"]
    }


def test_inviting_refuses_an_invalid_address_and_an_empty_name(same_unit, home_care_north):
    access = access_for(person=same_unit)

    with pytest.raises(ValidationError) as bad_email:
        person_invite(
            actor=same_unit,
            access=access,
            unit=home_care_north,
            email="inte-en-adress",
            full_name="Sara",
            role=role("Medarbetare"),
        )
    with pytest.raises(ValidationError) as no_name:
        person_invite(
            actor=same_unit,
            access=access,
            unit=home_care_north,
            email="sara@exempelby.se",
            full_name="  ",
            role=role("Medarbetare"),
        )

    assert bad_email.value.message_dict == {"email": ["Enter a valid e-mail address."]}
    assert no_name.value.message_dict == {"full_name": ["Enter the person's name."]}


# --- levels, roles and organisations --------------------------------------------------------------------


def test_administrator_renames_a_level(administrator):
    team_level = level("Arbetslag")

    services.level_rename(
        actor=administrator, access=access_for(person=administrator), level=team_level, name="Team"
    )

    team_level.refresh_from_db()
    assert team_level.name == "Team"
    event = last_event("level.renamed", team_level)
    assert (event.actor, event.unit, event.before, event.after) == (
        administrator,
        None,
        {"name": "Arbetslag"},
        {"name": "Team"},
    )


def test_a_level_cannot_take_the_name_of_another_level(administrator):
    with pytest.raises(ValidationError) as error:
        services.level_rename(
            actor=administrator,
            access=access_for(person=administrator),
            level=level("Arbetslag"),
            name="Enhet",
        )

    assert error.value.message_dict == {"name": ["The organisation already has a level with this name."]}
    assert Level.objects.filter(organisation__slug="exempelby", name="Arbetslag").exists()


def test_administrator_creates_a_role_with_capabilities(administrator):
    organisation = Organisation.objects.get(slug="exempelby")

    new_role = services.role_create(
        actor=administrator,
        access=access_for(person=administrator),
        organisation=organisation,
        name="Kvalitetsutvecklare",
        description="Stöd i förbättringsarbete",
        can_write=True,
    )

    assert new_role.capability_codes == ["read", "write"]
    event = last_event("role.created", new_role)
    assert (event.actor, event.unit, event.before, event.after) == (
        administrator,
        None,
        None,
        {"name": "Kvalitetsutvecklare", "capabilities": ["read", "write"]},
    )


def test_role_names_are_unique_in_an_organisation(administrator):
    exempelby = Organisation.objects.get(slug="exempelby")

    with pytest.raises(ValidationError) as error:
        services.role_create(
            actor=administrator,
            access=access_for(person=administrator),
            organisation=exempelby,
            name="Medarbetare",
        )

    assert error.value.message_dict == {"name": ["The organisation already has a role with this name."]}


def test_creating_an_organisation_is_audited_without_an_actor(db):
    organisation = services.organisation_create(name="Testby  kommun", slug="testby")

    event = last_event("organisation.created", organisation)
    assert event_values(event) == {
        "action": "organisation.created",
        "actor": None,
        "unit": None,
        "organisation": "testby",
        "target_type": "chain.organisation",
        "target_label": "Testby kommun",
        "before": None,
        "after": {"name": "Testby kommun", "slug": "testby"},
    }


def test_administrator_adds_a_level_and_it_is_audited(administrator):
    organisation = administrator.organisation

    level = services.level_create(
        actor=administrator,
        access=access_for(person=administrator),
        organisation=organisation,
        name=" Sektion ",
        rank=4,
    )

    assert (level.name, level.rank) == ("Sektion", 4)
    event = AuditEvent.objects.get(action="level.created", target_id=level.pk)
    assert (event.actor, event.after) == (administrator, {"name": "Sektion", "rank": 4})


def test_a_level_name_is_unique_in_the_organisation(administrator):
    organisation = administrator.organisation

    with pytest.raises(ValidationError) as duplicate:
        services.level_create(
            actor=administrator,
            access=access_for(person=administrator),
            organisation=organisation,
            name="Enhet",
            rank=4,
        )

    assert list(duplicate.value.message_dict) == ["name"]


# --- refusals -------------------------------------------------------------------------------------------
# Who may not do what: each write refuses a person without the right, and writes nothing at all.


def exempelby() -> Organisation:
    return Organisation.objects.get(slug="exempelby")


def open_membership(person_, unit_) -> Membership:
    return Membership.objects.get(person=person_, unit=unit_, ended_at__isnull=True)


def invite(role_name: str):
    def attempt(actor, access, north):
        person_invite(
            actor=actor,
            access=access,
            unit=north,
            email="ny.person@exempelby.se",
            full_name="Ny Person",
            role=role(role_name),
        )

    return attempt


REFUSED = [
    pytest.param(
        "other_branch",
        lambda actor, access, north: services.unit_create(
            actor=actor,
            access=access,
            organisation=north.organisation,
            parent=north,
            level=level("Arbetslag"),
            name="Smuggelgruppen",
        ),
        id="another branch creates a unit under Hemtjänst Norr",
    ),
    pytest.param(
        "same_unit",
        lambda actor, access, north: services.unit_create(
            actor=actor,
            access=access,
            organisation=north.organisation,
            parent=None,
            level=level("Fullmäktige"),
            name="Skuggfullmäktige",
        ),
        id="a manager creates a top unit",
    ),
    pytest.param(
        "colleague",
        lambda actor, access, north: services.unit_rename(
            actor=actor, access=access, unit=north, name="Vår grupp"
        ),
        id="staff rename their unit",
    ),
    pytest.param(
        "administrator",
        lambda actor, access, north: services.unit_move(
            actor=actor, access=access, unit=north, new_parent=unit("Grannbygården", "grannby")
        ),
        id="an administrator moves a unit to another organisation",
    ),
    pytest.param(
        "same_unit",
        lambda actor, access, north: services.unit_move(
            actor=actor, access=access, unit=north, new_parent=unit("Hemtjänst Söder")
        ),
        id="a manager moves a unit under a unit they do not manage",
    ),
    pytest.param(
        "colleague",
        lambda actor, access, north: services.unit_close(actor=actor, access=access, unit=north),
        id="staff close their unit",
    ),
    *[
        pytest.param(
            "same_unit",
            lambda actor, access, north, role_name=role_name: services.membership_create(
                actor=actor,
                access=access,
                person=person("aino.korhonen@exempelby.se"),
                unit=north,
                role=role(role_name),
            ),
            id=f"a manager gives the role {role_name}",
        )
        for role_name in ("Systemadministratör", "Internrevisor")
    ],
    pytest.param(
        "other_branch",
        lambda actor, access, north: services.membership_end(
            actor=actor,
            access=access,
            membership=open_membership(person("aino.korhonen@exempelby.se"), north),
        ),
        id="another branch ends a role in Hemtjänst Norr",
    ),
    pytest.param("same_unit", invite("Systemadministratör"), id="a manager invites an administrator"),
    pytest.param("other_branch", invite("Medarbetare"), id="another branch invites into Hemtjänst Norr"),
    *[
        pytest.param(
            persona,
            lambda actor, access, north: services.level_rename(
                actor=actor, access=access, level=level("Arbetslag"), name="Team"
            ),
            id=f"{persona} renames a level",
        )
        for persona in ("same_unit", "other_organisation")
    ],
    pytest.param(
        "same_unit",
        lambda actor, access, north: services.level_create(
            actor=actor, access=access, organisation=exempelby(), name="Sektion", rank=4
        ),
        id="a manager adds a level",
    ),
    pytest.param(
        "same_unit",
        lambda actor, access, north: services.role_create(
            actor=actor, access=access, organisation=exempelby(), name="Superchef", can_manage=True
        ),
        id="a manager creates a role",
    ),
    pytest.param(
        "administrator",
        lambda actor, access, north: services.role_create(
            actor=actor,
            access=access,
            organisation=Organisation.objects.get(slug="grannby"),
            name="Superchef",
        ),
        id="an administrator creates a role in another organisation",
    ),
]


def chain_state() -> tuple:
    """Everything a refused write could have touched."""
    return (
        list(Unit.objects.order_by("pk").values_list("name", "path", "depth", "level_id", "closed_at")),
        list(Membership.objects.order_by("pk").values_list("person_id", "unit_id", "role_id", "ended_at")),
        list(Level.objects.order_by("pk").values_list("name", "rank")),
        list(Role.objects.order_by("pk").values_list("name")),
        get_user_model().objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("persona", "attempt"), REFUSED)
def test_a_write_is_refused_without_the_right_and_changes_nothing(
    request, persona, attempt, colleague, home_care_north
):
    actor = request.getfixturevalue(persona)
    before = chain_state()

    with pytest.raises(PermissionDenied):
        attempt(actor, access_for(person=actor), home_care_north)

    assert chain_state() == before


def test_tillit_itself_sets_up_an_organisation_but_not_another_one(home_care_north):
    """The demo loader and tasks act as `Access.system()`: every write of setup is theirs, but a system
    access bound to one organisation stays out of the others."""
    organisation = home_care_north.organisation
    system = Access.system()

    sektion = services.level_create(access=system, organisation=organisation, name="Sektion", rank=4)
    top = services.unit_create(
        access=system, organisation=organisation, parent=None, level=sektion, name="Kommunala bolag"
    )
    services.membership_create(
        access=system, person=sofia(), unit=top, role=role("Systemadministratör"), title="Förvaltare"
    )
    with pytest.raises(PermissionDenied):
        services.role_create(
            access=Access.system(organisation.pk),
            organisation=Organisation.objects.get(slug="grannby"),
            name="Superchef",
        )

    assert access_for(person=sofia()).administers
