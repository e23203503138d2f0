"""Inviting a person, end to end: the form, the task queue, the real worker, the e-mail, the link."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult

from tests.conftest import person, unit
from tillit.chain.models import Role

pytestmark = pytest.mark.integration

PASSWORD = "en lång mening som lösenord"
LINK = re.compile(r"http://[^/\s]+(/invitation/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def committed_demo(transactional_db):
    """The demo, committed: the task worker must see the rows the request wrote.

    The worker checks its database connection between tasks, which a test wrapped in a transaction
    would lose, so this test commits for real. pytest-django runs it after the plain `db` tests;
    the flush after it empties the database, and the next transactional test loads the demo again.
    """
    from tillit.chain.models import Organisation
    from tillit.demo.generate import demo_load

    if not Organisation.objects.filter(slug="exempelby").exists():
        demo_load()


def test_invitation_travels_from_the_form_through_the_worker_to_a_working_sign_in(
    committed_demo, client, mailoutbox, settings
):
    settings.SITE_URL = "http://tillit.example"
    manager = person("johan.nystrom@exempelby.se")
    norr = unit("Hemtjänst Norr")
    staff_role = Role.objects.get(organisation=norr.organisation, name="Medarbetare")
    client.force_login(manager)

    # 1. The manager invites a new colleague through the page; the commit enqueues the e-mail.
    response = client.post(
        f"/units/{norr.pk}/invite/",
        {
            "full_name": "Saga Lind",
            "email": "saga.lind@exempelby.se",
            "title": "Undersköterska",
            "role": staff_role.pk,
        },
    )
    invited = get_user_model().objects.get(email="saga.lind@exempelby.se")
    task = DBTaskResult.objects.get()

    assert response.status_code == 302
    assert response["Location"] == f"/units/{norr.pk}/"
    assert invited.has_usable_password() is False
    assert task.task_path == "tillit.accounts.tasks.send_invitation"
    assert task.status == "READY"
    assert task.args_kwargs == {"args": [], "kwargs": {"person_id": invited.pk, "inviter_id": manager.pk}}
    assert mailoutbox == []

    # 2. The real worker runs the task and sends the e-mail.
    call_command("db_worker", "--batch", "--no-startup-delay")

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == "saga.lind@exempelby.se"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["saga.lind@exempelby.se"]
    assert "Exempelby kommun" in mail.subject
    assert "Johan Nyström" in mail.body
    link = LINK.search(mail.body)
    assert link, mail.body
    assert link.group(0).startswith("http://tillit.example/invitation/")
    path = link.group(1)

    # 3. The invited person opens the link and chooses a password.
    client.logout()
    page = client.get(path)
    mismatch = client.post(path, {"password1": PASSWORD, "password2": PASSWORD + "!"})
    too_short = client.post(path, {"password1": "kort", "password2": "kort"})
    accepted = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})

    invited.refresh_from_db()
    assert page.status_code == 200
    assert "Saga Lind" in page.content.decode()
    assert mismatch.status_code == too_short.status_code == 200
    assert 'id="id_password2_error"' in mismatch.content.decode()
    assert 'id="id_password1_error"' in too_short.content.decode()
    assert accepted.status_code == 302
    assert accepted["Location"] == "/accounts/login/"
    assert invited.password.startswith("argon2")
    assert invited.check_password(PASSWORD) is True

    # 4. The link is used up, and the new password signs in.
    reused = client.get(path)
    sign_in = client.post("/accounts/login/", {"login": "saga.lind@exempelby.se", "password": PASSWORD})
    home = client.get("/")

    assert reused.status_code == 400
    assert sign_in.status_code == 302
    assert sign_in["Location"] == "/"
    assert home.status_code == 200
    assert "Hemtjänst Norr" in home.content.decode()


def test_invitation_task_is_enqueued_only_when_the_transaction_commits(
    client, same_unit, home_care_north, django_capture_on_commit_callbacks
):
    staff_role = Role.objects.get(organisation=home_care_north.organisation, name="Medarbetare")
    client.force_login(same_unit)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            f"/units/{home_care_north.pk}/invite/",
            {"full_name": "Saga Lind", "email": "saga.lind@exempelby.se", "role": staff_role.pk},
        )
        queued_before_commit = DBTaskResult.objects.count()
    for callback in callbacks:
        callback()

    task = DBTaskResult.objects.get()
    invited = get_user_model().objects.get(email="saga.lind@exempelby.se")
    assert (len(callbacks), queued_before_commit) == (1, 0)
    assert task.task_path == "tillit.accounts.tasks.send_invitation"
    assert task.args_kwargs == {"args": [], "kwargs": {"person_id": invited.pk, "inviter_id": same_unit.pk}}


def test_invitation_task_emails_the_person_a_link(
    same_unit, home_care_north, mailoutbox, django_capture_on_commit_callbacks
):
    from tillit.accounts.services import person_invite
    from tillit.accounts.tasks import send_invitation
    from tillit.chain.selectors import access_for

    with django_capture_on_commit_callbacks(execute=True):
        invited = person_invite(
            actor=same_unit,
            access=access_for(person=same_unit),
            unit=home_care_north,
            email="saga.lind@exempelby.se",
            full_name="Saga Lind",
            role=Role.objects.get(organisation=home_care_north.organisation, name="Medarbetare"),
        )

    sent_to = send_invitation.call(person_id=invited.pk, inviter_id=same_unit.pk)

    assert sent_to == "saga.lind@exempelby.se"
    assert [mail.to for mail in mailoutbox] == [["saga.lind@exempelby.se"]]
    assert LINK.search(mailoutbox[0].body)


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [
        ("bm90LWFuLWlk", "abc-123"),  # not an id at all
        ("OTk5OTk5OQ", "abc-123"),  # nobody with that id
        (None, "abc-123"),  # the colleague, with a wrong token
    ],
)
def test_invalid_invitation_links_answer_400(client, colleague, uidb64, token):
    uidb64 = uidb64 or urlsafe_base64_encode(force_bytes(colleague.pk))

    response = client.get(f"/invitation/{uidb64}/{token}/")
    posted = client.post(f"/invitation/{uidb64}/{token}/", {"password1": PASSWORD, "password2": PASSWORD})

    colleague.refresh_from_db()
    assert response.status_code == posted.status_code == 400
    assert colleague.check_password(PASSWORD) is False


def test_invitation_link_of_a_deactivated_person_answers_400(client, colleague):
    path = (
        f"/invitation/{urlsafe_base64_encode(force_bytes(colleague.pk))}/"
        f"{default_token_generator.make_token(colleague)}/"
    )
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])

    response = client.get(path)

    assert response.status_code == 400


def test_accepting_is_written_to_the_audit_log(client, colleague):
    from tillit.audit.models import AuditEvent

    path = (
        f"/invitation/{urlsafe_base64_encode(force_bytes(colleague.pk))}/"
        f"{default_token_generator.make_token(colleague)}/"
    )

    client.post(path, {"password1": PASSWORD, "password2": PASSWORD})

    event = AuditEvent.objects.filter(action="person.invitation_accepted").get()
    assert (event.actor, event.target_id, event.organisation_id) == (
        colleague,
        colleague.pk,
        colleague.organisation_id,
    )


def test_invite_form_rejects_an_existing_address_and_keeps_what_was_typed(client, same_unit, home_care_north):
    staff_role = Role.objects.get(organisation=home_care_north.organisation, name="Medarbetare")
    client.force_login(same_unit)
    client.cookies["django_language"] = "en"

    response = client.post(
        f"/units/{home_care_north.pk}/invite/",
        {
            "full_name": "Ville Virtanen",
            "email": "ville.virtanen@grannby.se",
            "title": "Undersköterska",
            "role": staff_role.pk,
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "This e-mail address cannot be invited. Is the person already here?" in html
    assert 'value="Ville Virtanen"' in html
    assert 'value="Undersköterska"' in html
    assert f'<option value="{staff_role.pk}" selected>Medarbetare</option>' in html


def test_invite_form_offers_a_manager_no_organisation_wide_roles(
    client, same_unit, administrator, home_care_north
):
    client.force_login(same_unit)
    manager_form = client.get(f"/units/{home_care_north.pk}/invite/").content.decode()
    client.force_login(administrator)
    admin_form = client.get(f"/units/{home_care_north.pk}/invite/").content.decode()

    assert "Systemadministratör" not in manager_form
    assert "Internrevisor" not in manager_form
    assert "Systemadministratör" in admin_form
    assert "Internrevisor" in admin_form
