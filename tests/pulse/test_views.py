"""The trust pulse's pages through Django's test client: the anonymous answer (end to end, its refusals,
its browser hygiene, no person, no session, no log line, the code in no URL), the signed-in pages and who
may see them, the frozen results with their suppressed cells, sharing, the joint look, the free text, a
unit over the rounds and the thresholds.

Texts are asserted in English (the language cookie), so the tests hold whatever the Swedish catalogue says.
"""

import logging
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.functional import empty

from tests.factories.pulse import (
    answer_all,
    person_in,
    pulse_closed,
    pulse_created,
    pulse_opened,
    pulse_world,
)
from tillit.core.clock import today
from tillit.dialogue.models import JointLook
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import DEFAULT_ITEMS, MAX_ITEMS
from tillit.pulse.models import FreeTextAnswer, Invitation, Pulse, PulseSettings, PulseUnit, Response
from tillit.pulse.tokens import token_display

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

ANSWER = "/puls/svara/"
NEUTRAL = "Too few or too alike answers to show without pointing at someone"
URL_ATTRIBUTE = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def anonymous():
    return english(Client())


def signed_in(person) -> Client:
    client = english(Client())
    client.force_login(person)
    return client


def urls_of(response) -> list[str]:
    """Every URL a response sends the browser to: its redirect and every link, source and form action."""
    urls = [response.headers.get("Location", "")]
    if response.get("Content-Type", "").startswith("text/html"):
        urls += URL_ATTRIBUTE.findall(response.content.decode())
    return urls


def assert_hygiene(response) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"


def questions_of(pulse) -> dict[str, str]:
    return {f"q_{code}": "4" for code in pulse.items}


@pytest.fixture
def opened():
    world = pulse_world({"Norr": 6, "Söder": 7})
    pulse, tokens = pulse_opened(world)
    return world, pulse, tokens


# ---------------------------------------------------------------------------------- the answer page


def test_the_answer_page_asks_for_the_code_and_explains_the_anonymity(anonymous):
    response = anonymous.get(ANSWER)
    assert response.status_code == 200
    assert_hygiene(response)
    html = response.content.decode()
    assert re.search(r'<input[^>]+name="code"[^>]+autocomplete="off"', html)
    assert 'name="token"' in html
    assert 'type="hidden"' in html
    assert "Your answer is anonymous" in html
    assert "Not saved:" in html
    assert "your name, your e-mail address, your code" in html
    assert "at least 5 people answered" in html
    assert "pulse/answer.js" in html  # moves the link's fragment into the hidden field
    assert "<script>" not in html
    assert "style=" not in html


def test_a_person_answers_with_the_typed_code_and_is_thanked(anonymous, opened):
    _world, pulse, tokens = opened
    token = next(iter(tokens.values()))
    typed = token_display(token).upper()  # "ABCD-EFGH-…": any grouping and case is accepted

    step1 = anonymous.post(ANSWER, {"step": "code", "code": typed})
    assert step1.status_code == 200
    assert_hygiene(step1)
    html = step1.content.decode()
    assert pulse.title in html
    for code in pulse.items:
        assert f'name="q_{code}"' in html
    assert html.count("<fieldset") == len(pulse.items)
    assert html.count("<legend>") == len(pulse.items)
    assert "Don&#x27;t know" in html or "Don't know" in html
    assert f'value="{token}"' in html  # the token travels on as a hidden field, by POST

    step2 = anonymous.post(ANSWER, {"step": "answer", "token": token, **questions_of(pulse)})
    assert step2.status_code == 200
    assert_hygiene(step2)
    assert "Your answer is saved with no link to you" in step2.content.decode()
    assert token not in step2.content.decode()
    assert Invitation.objects.get(pulse=pulse, used=True)
    stored = Response.objects.get(pulse=pulse, answers__isnull=False)
    assert stored.answers == dict.fromkeys(pulse.items, 4)


def test_the_code_from_the_links_fragment_comes_as_the_hidden_field(anonymous, opened):
    _world, pulse, tokens = opened
    token = next(iter(tokens.values()))
    response = anonymous.post(ANSWER, {"step": "code", "token": token, "code": ""})
    assert response.status_code == 200
    assert f'name="q_{pulse.items[0]}"' in response.content.decode()


def test_the_whole_link_pasted_into_the_code_field_works(anonymous, opened):
    _world, pulse, tokens = opened
    token = next(iter(tokens.values()))
    response = anonymous.post(ANSWER, {"step": "code", "code": f"http://testserver/puls/svara/#{token}"})
    assert f'name="q_{pulse.items[0]}"' in response.content.decode()


def test_a_question_may_be_left_out_and_dont_know_is_an_answer(anonymous, opened):
    _world, pulse, tokens = opened
    token = next(iter(tokens.values()))
    answers = {f"q_{pulse.items[0]}": "0", f"q_{pulse.items[1]}": "5"}
    response = anonymous.post(ANSWER, {"step": "answer", "token": token, **answers})
    assert "Your answer is saved" in response.content.decode()
    assert Response.objects.get(pulse=pulse, answers__isnull=False).answers == {
        pulse.items[0]: 0,
        pulse.items[1]: 5,
    }


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Type the code from your invitation e-mail."),
        ("abcd-efgh", "The code is not complete: it has 26 letters and digits."),
        ("a" * 26, "We do not recognise this code. Check the link in your e-mail."),
    ],
)
def test_a_wrong_code_is_explained_next_to_the_field(anonymous, opened, code, message):
    response = anonymous.post(ANSWER, {"step": "code", "code": code})
    assert response.status_code == 200
    assert_hygiene(response)
    html = response.content.decode()
    assert re.search(r'<p class="field__error" id="id_code_error">[^<]*' + re.escape(message), html)
    assert 'name="q_' not in html


def test_a_used_code_is_refused_at_both_steps_and_nothing_is_stored_twice(anonymous, opened):
    _world, pulse, tokens = opened
    token = next(iter(tokens.values()))
    anonymous.post(ANSWER, {"step": "answer", "token": token, **questions_of(pulse)})
    used = "This code has already been used: each code answers once."
    assert used in anonymous.post(ANSWER, {"step": "code", "code": token}).content.decode()
    again = anonymous.post(ANSWER, {"step": "answer", "token": token, **questions_of(pulse)})
    assert again.status_code == 200
    assert used in again.content.decode()
    assert token not in again.content.decode()  # a refused code is not written back into the page
    assert Response.objects.filter(pulse=pulse, answers__isnull=False).count() == 1


def test_a_closed_pulse_takes_no_answer(anonymous, opened):
    world, pulse, tokens = opened
    token = next(iter(tokens.values()))
    pulse_closed(world, pulse)
    response = anonymous.post(ANSWER, {"step": "answer", "token": token, **questions_of(pulse)})
    assert response.status_code == 200
    assert "answers are no longer taken" in response.content.decode()
    assert not Response.objects.filter(pulse=pulse, answers__isnull=False).exists()


def test_bad_values_are_refused_with_the_form_and_nothing_is_stored(anonymous, opened):
    _world, pulse, tokens = opened
    token = next(iter(tokens.values()))
    bad = {**questions_of(pulse), f"q_{pulse.items[0]}": "7"}
    response = anonymous.post(ANSWER, {"step": "answer", "token": token, **bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Answer each question with 1–5 or “don&#x27;t know”." in html or "1–5" in html
    assert f'id="id_q_{pulse.items[0]}_error"' in html
    assert not Invitation.objects.filter(pulse=pulse, used=True).exists()
    assert not Response.objects.filter(pulse=pulse, answers__isnull=False).exists()

    empty_answer = anonymous.post(ANSWER, {"step": "answer", "token": token})
    assert "Answer at least one question." in empty_answer.content.decode()
    assert not Invitation.objects.filter(pulse=pulse, used=True).exists()


def test_free_text_is_asked_when_the_pulse_asks_it_and_says_who_reads_it(anonymous):
    world = pulse_world({"Norr": 6})
    pulse, tokens = pulse_opened(world, asks_free_text=True)
    token = next(iter(tokens.values()))
    html = anonymous.post(ANSWER, {"step": "code", "code": token}).content.decode()
    assert 'name="free_text"' in html
    assert "What would increase trust?" in html
    assert "read the answers first and remove what could point at someone" in html
    anonymous.post(
        ANSWER, {"step": "answer", "token": token, "free_text": "Mer tid för samtal.", **questions_of(pulse)}
    )
    assert FreeTextAnswer.objects.filter(pulse=pulse, text="Mer tid för samtal.").exists()


def test_the_answer_page_sets_no_cookie_and_needs_no_csrf_token(opened):
    """No cookie and no session to borrow: the code is the only right, so the page is exempt from the CSRF
    check (under no-referrer browsers send Origin: null); it sets no cookie of its own."""
    _world, pulse, tokens = opened
    token = next(iter(tokens.values()))
    client = english(Client(enforce_csrf_checks=True))
    first = client.get(ANSWER)
    assert not first.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()
    step1 = client.post(ANSWER, {"step": "code", "code": token}, headers={"Origin": "null"})
    assert step1.status_code == 200
    assert not step1.cookies
    step2 = client.post(
        ANSWER, {"step": "answer", "token": token, **questions_of(pulse)}, headers={"Origin": "null"}
    )
    assert "Your answer is saved" in step2.content.decode()


def test_the_answer_pages_language_links_remember_the_choice(anonymous):
    response = Client().get(ANSWER, {"language": "en"})
    assert response.status_code == 302
    assert response["Location"] == ANSWER
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert_hygiene(response)
    html = anonymous.get(ANSWER).content.decode()
    assert f'href="{ANSWER}?language=sv"' in html
    assert Client().get(ANSWER, {"language": "xx"}).status_code == 200  # anything else: the page as it is


def test_the_answer_page_reads_neither_the_person_nor_the_session(opened):
    world, pulse, tokens = opened
    person = world.people["Norr"][0]
    token = tokens[person.email]
    client = signed_in(person)
    for response in (
        client.get(ANSWER),
        client.post(ANSWER, {"step": "code", "code": token}),
        client.post(ANSWER, {"step": "answer", "token": token, **questions_of(pulse)}),
    ):
        assert response.status_code == 200
        request = response.wsgi_request
        assert not request.session.accessed
        assert request.user._wrapped is empty  # never evaluated
        assert person.full_name not in response.content.decode()


def test_the_token_is_in_no_url_and_no_log_line(anonymous, opened, caplog):
    _world, pulse, tokens = opened
    token, other = list(tokens.values())[:2]
    responses = []
    with caplog.at_level(logging.DEBUG):
        responses.append(anonymous.get(ANSWER))
        responses.append(anonymous.post(ANSWER, {"step": "code", "code": token}))
        responses.append(anonymous.post(ANSWER, {"step": "answer", "token": token, **questions_of(pulse)}))
        responses.append(anonymous.post(ANSWER, {"step": "answer", "token": token, **questions_of(pulse)}))
        responses.append(anonymous.post(ANSWER, {"step": "code", "code": token_display(other)}))
        responses.append(
            anonymous.post(ANSWER, {"step": "answer", "token": other, f"q_{pulse.items[0]}": "9"})
        )
        responses.append(anonymous.post(ANSWER, {"step": "code", "code": "z" * 26}))
    for response in responses:
        assert_hygiene(response)
        for url in urls_of(response):
            assert token not in url, url
            assert other not in url, url
            assert token_display(token) not in url
    for record in caplog.records:
        text = f"{record.getMessage()} {record.args!r} {record.__dict__!r}"
        assert token not in text
        assert other not in text
        assert token_display(token) not in text
    assert not [record for record in caplog.records if record.name.startswith("django.request")]


# ---------------------------------------------------------------------------------- signed-in pages


def test_the_list_shows_open_pulses_without_saying_who_answered_and_the_manager_prepares(opened):
    world, pulse, tokens = opened
    staff = world.people["Norr"][0]
    html = signed_in(staff).get(reverse("pulse:pulse-list")).content.decode()
    assert f"The trust pulse “{pulse.title}” is open until" in html
    assert "answer through the link in your e-mail" in html
    assert "New trust pulse" not in html
    signed_in(staff).post(ANSWER, {"step": "answer", "token": tokens[staff.email], **questions_of(pulse)})
    after = signed_in(staff).get(reverse("pulse:pulse-list")).content.decode()
    assert f"The trust pulse “{pulse.title}” is open until" in after  # the same: answering changes nothing

    manager = signed_in(world.manager).get(reverse("pulse:pulse-list")).content.decode()
    assert "New trust pulse" in manager
    assert "Pulses you prepare and lead" in manager
    assert pulse.get_absolute_url() in manager


def test_the_home_page_lists_an_open_pulse_among_what_is_waiting(opened):
    world, pulse, _tokens = opened
    html = signed_in(world.people["Söder"][0]).get("/").content.decode()
    assert "Waiting for you" in html
    assert f"The trust pulse “{pulse.title}” is open until" in html
    assert reverse("pulse:pulse-list") in html  # the navigation's entry


def test_the_navigation_has_the_trust_pulse():
    world = pulse_world({"Norr": 1})
    html = signed_in(world.people["Norr"][0]).get(reverse("pulse:pulse-list")).content.decode()
    assert re.search(r'<a href="/pulses/"\s+aria-current="page">Trust pulse</a>', html)


def test_a_manager_prepares_opens_reminds_and_closes_a_pulse(mailoutbox):
    world = pulse_world({"Norr": 5})
    client = signed_in(world.manager)
    form = client.get(reverse("pulse:pulse-create"))
    assert form.status_code == 200
    html = form.content.decode()
    for code in DEFAULT_ITEMS:
        assert re.search(rf'<input[^>]+value="{code}"[^>]+checked', html), code
    assert html.count('class="pulse-bank__group"') == 5  # a fieldset per relation

    closes_on = (today() + timedelta(days=10)).isoformat()
    too_many = client.post(
        reverse("pulse:pulse-create"),
        {
            "scope": world.scope.pk,
            "title": "Hösten",
            "closes_on": closes_on,
            "items": [*DEFAULT_ITEMS, "team_risk"],
        },
    )
    assert too_many.status_code == 200
    assert f"A pulse asks at most {MAX_ITEMS} questions; you chose 13." in too_many.content.decode()
    assert not Pulse.objects.filter(organisation=world.organisation).exists()

    created = client.post(
        reverse("pulse:pulse-create"),
        {
            "scope": world.scope.pk,
            "title": "Hösten",
            "closes_on": closes_on,
            "items": ["manager_ability", "team_risk"],
            "support_referent": "HR-stödet",
            "asks_free_text": "on",
        },
    )
    pulse = Pulse.objects.get(organisation=world.organisation)
    assert created.status_code == 302
    assert created["Location"] == pulse.get_absolute_url()
    assert pulse.state == PulseState.DRAFT
    assert pulse.items == ["manager_ability", "team_risk"]
    assert pulse.asks_free_text
    assert pulse.support_referent == "HR-stödet"

    edit = client.post(
        reverse("pulse:pulse-edit", args=[pulse.pk]),
        {
            "title": "Hösten 2026",
            "closes_on": closes_on,
            "items": ["support_ability"],
            "support_referent": "IT",
        },
    )
    assert edit.status_code == 302
    pulse.refresh_from_db()
    assert pulse.title == "Hösten 2026"
    assert pulse.items == ["support_ability"]
    assert not pulse.asks_free_text

    confirm = client.get(reverse("pulse:pulse-open", args=[pulse.pk]))
    assert "invitation by e-mail" in confirm.content.decode()
    assert "The questions are then fixed" in confirm.content.decode()
    assert "IT has the knowledge" in confirm.content.decode()  # the support referent in the question
    client.post(reverse("pulse:pulse-open", args=[pulse.pk]))
    pulse.refresh_from_db()
    assert pulse.state == PulseState.OPEN
    assert client.get(reverse("pulse:pulse-edit", args=[pulse.pk])).status_code == 302

    detail = client.get(pulse.get_absolute_url()).content.decode()
    assert "Send a reminder" in detail
    assert "if you have already answered, thank you" in detail
    reminded = client.post(reverse("pulse:pulse-remind", args=[pulse.pk]), follow=True)
    assert "A reminder went to all" in reminded.content.decode()

    assert (
        "No answer is taken after closing"
        in client.get(reverse("pulse:pulse-close", args=[pulse.pk])).content.decode()
    )
    client.post(reverse("pulse:pulse-close", args=[pulse.pk]))
    pulse.refresh_from_db()
    assert pulse.state == PulseState.CLOSED
    assert client.get(reverse("pulse:pulse-close", args=[pulse.pk])).status_code == 302  # once only
    assert client.get(reverse("pulse:pulse-open", args=[pulse.pk])).status_code == 302


def test_a_date_in_the_past_is_explained_on_its_field():
    world = pulse_world({"Norr": 5})
    response = signed_in(world.manager).post(
        reverse("pulse:pulse-create"),
        {
            "scope": world.scope.pk,
            "title": "Hösten",
            "closes_on": today().isoformat(),
            "items": DEFAULT_ITEMS,
        },
    )
    assert response.status_code == 200
    assert re.search(r'id="id_closes_on_error">The pulse must close after today', response.content.decode())


def test_pages_refuse_people_without_the_right_and_other_organisations(opened):
    world, pulse, _tokens = opened
    staff = signed_in(world.people["Norr"][0])
    draft = pulse_created(world, title="Utkast")
    other = pulse_world({"Annan": 2}, slug="annanby")
    stranger = signed_in(other.manager)

    assert staff.get(pulse.get_absolute_url()).status_code == 200
    assert staff.get(draft.get_absolute_url()).status_code == 404  # a draft is its managers' only
    assert staff.get(reverse("pulse:pulse-create")).status_code == 403
    for name in ("pulse:pulse-edit", "pulse:pulse-open", "pulse:pulse-close"):
        assert staff.get(reverse(name, args=[pulse.pk])).status_code == 403, name
    assert staff.post(reverse("pulse:pulse-remind", args=[pulse.pk])).status_code == 403
    assert staff.get(reverse("pulse:settings")).status_code == 403

    for url in (
        pulse.get_absolute_url(),
        reverse("pulse:pulse-edit", args=[pulse.pk]),
        reverse("pulse:pulse-close", args=[pulse.pk]),
        reverse("pulse:free-text", args=[pulse.pk]),
        reverse("pulse:unit-history", args=[world.units["Norr"].pk]),
    ):
        assert stranger.get(url).status_code == 404, url
    assert stranger.post(reverse("pulse:pulse-remind", args=[pulse.pk])).status_code == 404
    assert pulse.title not in stranger.get(reverse("pulse:pulse-list")).content.decode()

    assert Client().get(reverse("pulse:pulse-list")).status_code == 302  # sign in first
    assert Client().get(ANSWER).status_code == 200  # the answer page needs no sign-in


# -------------------------------------------------------------------------------------- the results


@pytest.fixture
def closed():
    """Norr 6, Söder 3 and Väst 3 under the scope, all but the scope's manager answered, then closed: the
    whole (12) and Norr are published, Söder and Väst (below k) are not."""
    world = pulse_world({"Norr": 6, "Söder": 3, "Väst": 3})
    pulse, tokens = pulse_opened(world)
    staff = [token for email, token in tokens.items() if email != world.manager.email]
    answer_all(pulse, staff, value=lambda index: 1 + index % 5)
    return world, pulse_closed(world, pulse)


def test_results_show_suppressed_cells_with_one_neutral_text(closed):
    world, pulse = closed
    html = signed_in(world.people["Söder"][0]).get(pulse.get_absolute_url()).content.decode()
    söder = PulseUnit.objects.get(pulse=pulse, name="Söder")
    norr = PulseUnit.objects.get(pulse=pulse, name="Norr")
    section = html[html.index(f'id="unit-{söder.pk}"') :]
    assert NEUTRAL in section  # three people: nothing of Söder is shown
    assert not re.search(r'<td class="number">', section.split("</table>")[0])
    assert f'id="unit-{norr.pk}"' not in html  # Norr's results are Norr's own
    # One and the same neutral text, whatever the reason: no "fewer than", "differencing" or "alike".
    assert "differenc" not in html.lower()
    assert "fewer than 5" not in html.lower()
    # No table puts units side by side: one table per unit.
    assert html.count("<table") == html.count('class="pulse-unit"')


def test_results_show_the_mean_the_distribution_and_banded_counts(closed):
    world, pulse = closed
    html = signed_in(world.people["Norr"][0]).get(pulse.get_absolute_url()).content.decode()
    norr = PulseUnit.objects.get(pulse=pulse, name="Norr")
    section = html[html.index(f'id="unit-{norr.pk}"') :]
    assert "reversed question: lower means more trust" in section  # team_mistakes is in the default
    assert re.search(r'<td class="number">\d\.\d</td>', section)
    assert 'class="pulse-bar"' in section
    assert 'aria-hidden="true"' in section
    assert re.search(r"<abbr title=\"[^\"]+\">1</abbr>: \d+&nbsp;%", section)
    assert re.search(r"\d+–\d+ answers, \d+–\d+ % of those invited", html)
    assert "style=" not in html  # the strict CSP: the bar's widths are SVG attributes
    assert re.search(r'width="\d+(\.\d+)?"', section)  # never a decimal comma in SVG


def test_the_manager_reads_a_unit_only_when_it_shares_and_it_may_stop(closed):
    world, pulse = closed
    norr = PulseUnit.objects.get(pulse=pulse, name="Norr")
    manager = signed_in(world.manager)
    assert f'id="unit-{norr.pk}"' not in manager.get(pulse.get_absolute_url()).content.decode()
    assert (
        manager.post(reverse("pulse:results-share", args=[pulse.pk, norr.pk]), {"shared": "on"}).status_code
        == 404
    )

    staff = signed_in(world.people["Norr"][0])
    page = staff.get(pulse.get_absolute_url()).content.decode()
    assert "Show our results to the levels above" in page
    shared = staff.post(reverse("pulse:results-share", args=[pulse.pk, norr.pk]), {"shared": "on"})
    assert shared.status_code == 302
    assert shared["Location"].endswith(f"#unit-{norr.pk}")
    norr.refresh_from_db()
    assert norr.shared_upward
    assert f'id="unit-{norr.pk}"' in manager.get(pulse.get_absolute_url()).content.decode()

    staff.post(reverse("pulse:results-share", args=[pulse.pk, norr.pk]), {})
    norr.refresh_from_db()
    assert not norr.shared_upward


def test_a_unit_opens_a_joint_look_about_its_pulse(closed):
    world, pulse = closed
    norr = PulseUnit.objects.get(pulse=pulse, name="Norr")
    staff = signed_in(world.people["Norr"][0])
    confirm = staff.get(reverse("pulse:look-open", args=[pulse.pk, norr.pk]))
    assert confirm.status_code == 200
    assert "What can we try before the next pulse?" in confirm.content.decode()
    opened_look = staff.post(reverse("pulse:look-open", args=[pulse.pk, norr.pk]))
    look = JointLook.objects.get(pulse=pulse)
    assert opened_look.status_code == 302
    assert opened_look["Location"] == look.get_absolute_url()
    assert look.unit == world.units["Norr"]
    assert staff.get(look.get_absolute_url()).status_code == 200
    norr.refresh_from_db()
    assert norr.shared_upward  # the look is with the level above

    söder = PulseUnit.objects.get(pulse=pulse, name="Söder")
    assert staff.get(reverse("pulse:look-open", args=[pulse.pk, söder.pk])).status_code == 404


def test_free_text_is_redacted_by_the_managers_before_anyone_reads_it():
    world = pulse_world({"Norr": 11})
    pulse, tokens = pulse_opened(world, asks_free_text=True)
    answer_all(pulse, list(tokens.values())[:1], free_text="Anna på kontoret lyssnar aldrig.")
    answer_all(pulse, list(tokens.values())[1:])
    pulse = pulse_closed(world, pulse)
    reader = signed_in(world.people["Norr"][0])
    assert "Anna" not in reader.get(pulse.get_absolute_url()).content.decode()
    assert reader.get(reverse("pulse:free-text", args=[pulse.pk])).status_code == 403

    manager = signed_in(world.manager)
    page = manager.get(reverse("pulse:free-text", args=[pulse.pk])).content.decode()
    assert "Anna på kontoret lyssnar aldrig." in page
    answer = FreeTextAnswer.objects.get(pulse=pulse)
    url = reverse("pulse:free-text-release", args=[pulse.pk, answer.pk])
    refused = manager.post(url, {f"{answer.pk}-redacted": "  "})
    assert refused.status_code == 400
    assert "Write the answer as it may be shown" in refused.content.decode()
    released = manager.post(url, {f"{answer.pk}-redacted": "[namn] lyssnar aldrig."})
    assert released.status_code == 302
    html = reader.get(pulse.get_absolute_url()).content.decode()
    assert "[namn] lyssnar aldrig." in html
    assert "Anna" not in html


def test_a_unit_over_the_rounds_says_there_are_too_few_rounds_for_signals(closed):
    world, pulse = closed
    norr = world.units["Norr"]
    staff = signed_in(world.people["Norr"][0])
    response = staff.get(reverse("pulse:unit-history", args=[norr.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<figure class="chart"') == len(pulse.items)
    assert "1 round with a result so far" in html
    assert "at least 10" in html
    assert "<table" in html  # each chart's data table


def test_a_joint_look_stands_at_its_round_with_its_outcome(closed):
    world, pulse = closed
    norr = PulseUnit.objects.get(pulse=pulse, name="Norr")
    staff = signed_in(world.people["Norr"][0])
    staff.post(reverse("pulse:look-open", args=[pulse.pk, norr.pk]))
    html = staff.get(reverse("pulse:unit-history", args=[world.units["Norr"].pk])).content.decode()
    assert "Joint look “What does the pulse tell us?" in html
    assert ": open" in html


def test_the_administrator_raises_the_thresholds_never_below_the_floor():
    world = pulse_world({"Norr": 1})
    administrator = person_in(world, "Förvaltning", role="administrator")
    client = signed_in(administrator)
    page = client.get(reverse("pulse:settings"))
    assert page.status_code == 200
    assert "can only be raised" in page.content.decode()
    low = client.post(reverse("pulse:settings"), {"min_group_size": 4, "min_free_text_group_size": 10})
    assert low.status_code == 200
    assert "At least 5" in low.content.decode()
    saved = client.post(reverse("pulse:settings"), {"min_group_size": 7, "min_free_text_group_size": 12})
    assert saved.status_code == 302
    row = PulseSettings.objects.get(organisation=world.organisation)
    assert (row.min_group_size, row.min_free_text_group_size) == (7, 12)
