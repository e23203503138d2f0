"""Tenant isolation over every URL the application has.

Every URL pattern is read from the resolver and must appear in `EXPECTATIONS` (or in the short,
explicit `NOT_COVERED` allow-list): a new URL makes `test_every_url_pattern_is_classified` fail
until someone decides who may see it.

The target of every URL is Exempelby's Hemtjänst Norr: its unit, a person and a role in it, its
level and an API token of its manager. The personas look at it from
- `same_unit`: Johan Nyström, who manages Hemtjänst Norr;
- `colleague`: Aino Korhonen, staff in Hemtjänst Norr (reads, does not manage);
- `other_branch`: Leila Hassan, who manages Ekskolan in the same organisation;
- `other_organisation`: Ville Virtanen in Grannby kommun;
- `anonymous`: nobody signed in.
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils.http import urlsafe_base64_encode

from tests.agreements.factories import agreement_targets
from tests.burden.factories import burden_targets
from tests.delegation.factories import delegation_targets
from tests.dialogue.factories import look_targets
from tests.experiments.factories import experiment_targets
from tests.factories.whistle import signed_in_client
from tests.indicators.factories import indicator_targets
from tests.notifications.factories import notification_targets
from tests.obstacles.factories import obstacle_targets
from tests.pulse.factories import pulse_targets
from tests.whistle.factories import whistle_targets
from tillit.accounts.services import api_token_create
from tillit.chain.access import Access
from tillit.chain.models import Membership

pytestmark = pytest.mark.integration

SIGNED_IN = ("same_unit", "colleague", "other_branch", "other_organisation")
PERSONAS = (*SIGNED_IN, "anonymous")

# What another organisation must never see: the target's units, people and organisation.
LEAKABLE = (
    "Hemtjänst Norr",
    "Hemtjänsten",
    "Vård- och omsorgsförvaltningen",
    "Vård- och omsorgsnämnden",
    "Johan Nyström",
    "Aino Korhonen",
    "johan.nystrom@exempelby.se",
    "aino.korhonen@exempelby.se",
    "Exempelby",
)


@dataclass(frozen=True)
class Redirect:
    """A 301/302 whose Location starts with `to`."""

    to: str
    status: int = 302


LOGIN = Redirect("/accounts/login/")


def signed_in(expected, anonymous=LOGIN):
    """The same answer for every signed-in persona."""
    return dict.fromkeys(SIGNED_IN, expected) | {"anonymous": anonymous}


def everyone(expected):
    return dict.fromkeys(PERSONAS, expected)


# Reading a page of Hemtjänst Norr: the unit and the chain read it, others get 404.
UNIT_READ = {
    "same_unit": 200,
    "colleague": 200,
    "other_branch": 404,
    "other_organisation": 404,
    "anonymous": LOGIN,
}
# A management form of Hemtjänst Norr: inside the chain without the right is 403, outside 404.
UNIT_MANAGE = {
    "same_unit": 200,
    "colleague": 403,
    "other_branch": 404,
    "other_organisation": 404,
    "anonymous": LOGIN,
}
# Writing in Hemtjänst Norr (its purpose): the unit's own people; outside the unit 404.
UNIT_WRITE = UNIT_READ
# Organisation administration: none of the personas administers.
ADMINISTRATION = signed_in(403)
API_OWN = signed_in(200, anonymous=401)
API_UNIT = {
    "same_unit": 200,
    "colleague": 200,
    "other_branch": 404,
    "other_organisation": 404,
    "anonymous": 401,
}
POST_ONLY = signed_in(405)
TO_KEYS = Redirect("/visselblasning/nycklar/")
# A state change of a closed pulse of Hemtjänst Norr through the API: its manager is told it is closed.
API_UNIT_MANAGE_CLOSED = {
    "same_unit": 422,
    "colleague": 403,
    "other_branch": 404,
    "other_organisation": 404,
    "anonymous": 401,
}
# Delegation registers are public within the organisation; changing one is for its unit's managers.
ORGANISATION_READ = signed_in(200) | {"other_organisation": 404}
REGISTER_MANAGE = {
    "same_unit": 200,
    "colleague": 403,
    "other_branch": 403,
    "other_organisation": 404,
    "anonymous": LOGIN,
}
# Creating a register: anyone who manages a unit (in their own organisation) or administers.
REGISTER_CREATE = signed_in(200) | {"colleague": 403}

# url name (or route when the pattern has no name) → method → persona → expected answer.
EXPECTATIONS: dict[str, dict[str, dict]] = {
    # --- Tillit's pages ---------------------------------------------------------------------------
    "home": {"GET": signed_in(200)},
    "chain:tree": {"GET": signed_in(200)},
    "chain:unit-detail": {"GET": UNIT_READ},
    "chain:unit-create": {"GET": UNIT_MANAGE, "POST": UNIT_MANAGE},
    "chain:unit-rename": {"GET": UNIT_MANAGE, "POST": UNIT_MANAGE},
    "chain:unit-move": {"GET": UNIT_MANAGE, "POST": UNIT_MANAGE},
    "chain:unit-close": {"GET": UNIT_MANAGE, "POST": UNIT_MANAGE | {"same_unit": 302}},
    "chain:unit-invite": {"GET": UNIT_MANAGE, "POST": UNIT_MANAGE},
    "chain:membership-create": {"GET": UNIT_MANAGE, "POST": UNIT_MANAGE},
    "chain:membership-end": {"GET": POST_ONLY, "POST": UNIT_MANAGE | {"same_unit": 302}},
    "chain:person-detail": {"GET": UNIT_READ},
    "chain:organisation-settings": {"GET": ADMINISTRATION},
    "chain:level-rename": {
        "GET": ADMINISTRATION | {"other_organisation": 404},
        "POST": ADMINISTRATION | {"other_organisation": 404},
    },
    "chain:role-create": {"GET": ADMINISTRATION, "POST": ADMINISTRATION},
    "chain:level-create": {"GET": ADMINISTRATION, "POST": ADMINISTRATION},
    "audit:unit-log": {"GET": UNIT_READ},
    "agreements:purpose-edit": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "agreements:purpose-history": {"GET": UNIT_READ},
    "indicators:indicator-list": {"GET": UNIT_READ},
    "indicators:indicator-create": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "indicators:indicator-detail": {"GET": UNIT_READ},
    "indicators:indicator-edit": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "indicators:indicator-retire": {
        "GET": UNIT_WRITE,
        "POST": UNIT_WRITE | {"same_unit": 302, "colleague": 302},
    },
    "indicators:observation-record": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "indicators:phase-change-create": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "indicators:phase-change-delete": {
        "GET": POST_ONLY,
        "POST": UNIT_WRITE | {"same_unit": 302, "colleague": 302},
    },
    "indicators:narrative-edit": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "indicators:import-upload": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "indicators:import-template": {"GET": UNIT_READ},
    "indicators:import-detail": {"GET": UNIT_WRITE},
    "indicators:import-apply": {"GET": POST_ONLY, "POST": UNIT_WRITE | {"same_unit": 302, "colleague": 302}},
    "agreements:agreement-detail": {"GET": UNIT_READ},
    "agreements:agreement-versions": {"GET": UNIT_READ},
    # Johan already has an open draft (the target), so starting another sends him to it.
    "agreements:agreement-draft": {"GET": POST_ONLY, "POST": UNIT_MANAGE | {"same_unit": 302}},
    "agreements:agreement-version": {"GET": UNIT_READ},
    "agreements:agreement-version-diff": {"GET": UNIT_READ},
    "agreements:agreement-version-edit": {"GET": UNIT_MANAGE, "POST": UNIT_MANAGE},
    "agreements:agreement-version-propose": {"GET": POST_ONLY, "POST": UNIT_MANAGE | {"same_unit": 302}},
    "agreements:agreement-version-sign": {"GET": POST_ONLY, "POST": UNIT_MANAGE | {"same_unit": 302}},
    # Both parties' people comment; an empty comment is refused with a message on the version page.
    "agreements:agreement-version-comment": {
        "GET": POST_ONLY,
        "POST": UNIT_READ | {"same_unit": 302, "colleague": 302},
    },
    "agreements:boundary-report": {"GET": UNIT_READ, "POST": UNIT_READ},
    "followup:unit-followup": {"GET": UNIT_READ},
    "followup:joint-look": {"GET": UNIT_READ},
    "followup:unit-analyse": {"GET": POST_ONLY, "POST": UNIT_WRITE | {"same_unit": 302, "colleague": 302}},
    # --- dialogue: joint looks; an empty form is refused on the page (200) or, for a note, with 400 ---
    "dialogue:unit-looks": {"GET": UNIT_READ},
    "dialogue:look-open": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "dialogue:look-detail": {"GET": UNIT_READ},
    "dialogue:look-note": {"GET": POST_ONLY, "POST": UNIT_WRITE | {"same_unit": 400, "colleague": 400}},
    "dialogue:look-plan": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "dialogue:look-close": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    # --- Obstacles (tillit/obstacles): the target is an obstacle raised anonymously in Hemtjänst Norr and
    # answered by Hemtjänsten. Anyone in the unit may raise; an empty answer form is a bad request.
    "obstacles:obstacle-list": {"GET": UNIT_READ},
    "obstacles:obstacle-new": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "obstacles:obstacle-suggestions": {"GET": UNIT_READ},
    "obstacles:obstacle-detail": {"GET": UNIT_READ},
    "obstacles:obstacle-answer": {"GET": POST_ONLY, "POST": UNIT_READ | {"same_unit": 400, "colleague": 400}},
    # --- experiments: a running experiment of Hemtjänst Norr; empty forms are refused on the page (200),
    # actions answer with a message and a redirect (302); the archive is everyone's own organisation's ---
    "experiments:unit-experiments": {"GET": UNIT_READ},
    "experiments:experiment-new": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "experiments:archive": {"GET": signed_in(200)},
    "experiments:experiment-detail": {"GET": UNIT_READ},
    "experiments:experiment-edit": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "experiments:experiment-start": {
        "GET": POST_ONLY,
        "POST": UNIT_WRITE | {"same_unit": 302, "colleague": 302},
    },
    "experiments:experiment-cancel": {
        "GET": POST_ONLY,
        "POST": UNIT_WRITE | {"same_unit": 302, "colleague": 302},
    },
    "experiments:experiment-study": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "experiments:experiment-peers": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "experiments:experiment-comment": {
        "GET": POST_ONLY,
        "POST": UNIT_READ | {"same_unit": 302, "colleague": 302},
    },
    # --- burden: reporting requirements and data requests; an empty form is refused on the page (200).
    # The target requirement's requester is IVO (external), so the unit itself records IVO's answer;
    # a data request is answered by the support function only.
    "burden:unit-reporting": {"GET": UNIT_READ},
    "burden:requirement-create": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "burden:requirement-detail": {"GET": UNIT_READ},
    "burden:requirement-edit": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "burden:requirement-end": {"GET": UNIT_WRITE, "POST": UNIT_WRITE | {"same_unit": 302, "colleague": 302}},
    "burden:removal-propose": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "burden:proposal-answer": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "burden:unit-data-requests": {"GET": UNIT_READ},
    "burden:data-request-create": {"GET": UNIT_WRITE, "POST": UNIT_WRITE},
    "burden:data-request-detail": {
        "GET": UNIT_READ,
        "POST": UNIT_READ | {"same_unit": 403, "colleague": 403},
    },
    # --- the trust pulse: a closed pulse of Hemtjänst Norr with free text waiting for redaction. The
    # answer page is everyone's (the code in the POST is the only right); a closed pulse's forms redirect.
    "pulse:answer": {"GET": everyone(200), "POST": everyone(200)},
    "pulse:pulse-list": {"GET": signed_in(200)},
    "pulse:pulse-create": {
        "GET": signed_in(200) | {"colleague": 403},
        "POST": signed_in(200) | {"colleague": 403},
    },
    "pulse:settings": {"GET": signed_in(403), "POST": signed_in(403)},
    "pulse:pulse-detail": {"GET": UNIT_READ},
    "pulse:unit-history": {"GET": UNIT_READ},
    "pulse:pulse-edit": {"GET": UNIT_MANAGE | {"same_unit": 302}, "POST": UNIT_MANAGE | {"same_unit": 302}},
    "pulse:pulse-open": {"GET": UNIT_MANAGE | {"same_unit": 302}, "POST": UNIT_MANAGE | {"same_unit": 302}},
    "pulse:pulse-close": {"GET": UNIT_MANAGE | {"same_unit": 302}, "POST": UNIT_MANAGE | {"same_unit": 302}},
    "pulse:pulse-remind": {"GET": POST_ONLY, "POST": UNIT_MANAGE | {"same_unit": 302}},
    "pulse:results-share": {"GET": POST_ONLY, "POST": UNIT_READ | {"same_unit": 302, "colleague": 302}},
    "pulse:look-open": {"GET": UNIT_READ, "POST": UNIT_READ | {"same_unit": 302, "colleague": 302}},
    "pulse:free-text": {"GET": UNIT_MANAGE},
    "pulse:free-text-release": {"GET": POST_ONLY, "POST": UNIT_MANAGE | {"same_unit": 400}},
    # --- the whistleblowing channel's staff pages: the demo's Exempelby channel and a case of it. No persona
    # has a role in it: past the two-factor gate (every signed-in persona here signed in with MFA), each
    # finds nothing, not even a keys page (the others lead there); the dashboard is everyone's own.
    "whistle:dashboard": {"GET": signed_in(200)},
    "whistle:keyring": {"GET": signed_in(404), "POST": signed_in(404)},
    "whistle:unlock": {"GET": signed_in(TO_KEYS), "POST": signed_in(TO_KEYS)},
    "whistle:lock": {"GET": POST_ONLY, "POST": signed_in(302)},
    "whistle:passphrase-change": {"GET": signed_in(TO_KEYS), "POST": signed_in(TO_KEYS)},
    "whistle:recover": {"GET": signed_in(TO_KEYS), "POST": signed_in(TO_KEYS)},
    "whistle:recovery-key": {"GET": signed_in(TO_KEYS), "POST": signed_in(TO_KEYS)},
    "whistle:channel": {"GET": signed_in(404)},
    "whistle:oral-register": {"GET": signed_in(404), "POST": signed_in(404)},
    "whistle:case": {"GET": signed_in(404)},
    "whistle:case-action": {"GET": POST_ONLY, "POST": signed_in(404)},
    "whistle:case-file": {"GET": signed_in(404)},
    "whistle:case-registration": {"GET": signed_in(404)},
    "whistle:identity-requests": {"GET": signed_in(404)},
    "whistle:identity-decide": {"GET": signed_in(404), "POST": signed_in(404)},
    "whistle:escrow": {"GET": signed_in(404), "POST": signed_in(404)},
    "whistle:settings": {"GET": signed_in(404), "POST": signed_in(404)},
    "whistle:roles": {"GET": signed_in(404), "POST": signed_in(404)},
    "whistle:log": {"GET": signed_in(404)},
    "accounts:invitation-accept": {"GET": everyone(400), "POST": everyone(400)},
    "accounts:security": {"GET": signed_in(200)},
    "accounts:api-tokens": {"GET": signed_in(200), "POST": signed_in(200)},
    "accounts:api-token-revoke": {
        "GET": POST_ONLY,
        "POST": signed_in(404) | {"same_unit": Redirect("/me/api-tokens/")},
    },
    "set_language": {"GET": everyone(Redirect("/")), "POST": everyone(Redirect("/"))},
    # --- Notifications: everyone's own inbox; the target is in Johan's, linking to Hemtjänst Norr ----
    "notifications:inbox": {"GET": signed_in(200)},
    "notifications:inbox-read-all": {"GET": POST_ONLY, "POST": signed_in(Redirect("/inbox/"))},
    "notifications:notification-open": {
        "GET": POST_ONLY,
        "POST": signed_in(404) | {"same_unit": Redirect("/units/")},
    },
    # An empty form is refused (every kind needs a choice) and shown again.
    "notifications:preferences": {"GET": signed_in(200), "POST": signed_in(200)},
    # --- delegation (the register of Hemtjänst Norr, made for the test) ---------------------------
    "delegation:register-list": {"GET": signed_in(200)},
    "delegation:register-create": {"GET": REGISTER_CREATE, "POST": REGISTER_CREATE},
    "delegation:search": {"GET": signed_in(200)},
    "delegation:import-template": {"GET": signed_in(200)},
    "delegation:register-detail": {"GET": ORGANISATION_READ},
    "delegation:register-import": {"GET": REGISTER_MANAGE, "POST": REGISTER_MANAGE},
    "delegation:version-detail": {"GET": ORGANISATION_READ},
    "delegation:version-download": {"GET": ORGANISATION_READ},
    "delegation:import-detail": {"GET": REGISTER_MANAGE},
    # An empty form is shown again with its errors; nothing is adopted.
    "delegation:import-apply": {"GET": POST_ONLY, "POST": REGISTER_MANAGE},
    # --- The JSON API ------------------------------------------------------------------------------
    "api:api-root": {"GET": everyone(404)},
    "api:openapi-json": {"GET": everyone(200)},
    "api:me": {"GET": API_OWN},
    "api:unit_list": {"GET": API_OWN},
    "api:role_list": {"GET": API_OWN},
    "api:unit_detail": {"GET": API_UNIT},
    "api:unit_chain": {"GET": API_UNIT},
    "api:unit_roles": {"GET": API_UNIT},
    "api:unit_purpose": {"GET": API_UNIT},
    "api:unit_indicators": {"GET": API_UNIT},
    "api:indicator_detail": {"GET": API_UNIT},
    "api:indicator_observations": {"GET": API_UNIT},
    # The bulk write: a form-encoded body is not JSON, refused before any unit is looked at (tests/indicators
    # check 200/403/404 with a real body).
    "api:unit_observations_record": {"GET": everyone(405), "POST": signed_in(400, anonymous=401)},
    "api:unit_agreement": {"GET": API_UNIT},
    "api:unit_agreement_versions": {"GET": API_UNIT},
    "api:agreement_version": {"GET": API_UNIT},
    "api:unit_analysis": {"GET": API_UNIT},
    "api:unit_joint_look": {"GET": API_UNIT},
    "api:indicator_analysis": {"GET": API_UNIT},
    "api:unit_joint_looks": {"GET": API_UNIT},
    "api:joint_look_detail": {"GET": API_UNIT},
    # --- Notifications' API: one's own only ----------------------------------------------------------
    "api:notification_list": {"GET": API_OWN},
    "api:notification_read": {
        "GET": everyone(405),
        "POST": signed_in(404, anonymous=401) | {"same_unit": 200},
    },
    # Obstacles (tillit/obstacles): the raise shares its path with the list; a form-encoded body is not JSON.
    "api:unit_obstacles": {"GET": API_UNIT},
    "api:unit_obstacle_raise": {"POST": signed_in(400, anonymous=401)},
    "api:obstacle_detail": {"GET": API_UNIT},
    # --- delegation API ---
    "api:delegation_registers": {"GET": API_OWN},
    "api:delegation_register": {"GET": API_UNIT | {"other_branch": 200}},
    "api:delegation_search": {"GET": API_OWN},
    # --- experiments API ---
    "api:unit_experiments": {"GET": API_UNIT},
    "api:experiment_detail": {"GET": API_UNIT},
    "api:experiments_archive": {"GET": API_OWN},
    # burden: a form-encoded body is not JSON, refused before any unit is looked at (tests/burden check
    # 201/404 with a real body).
    "api:unit_reporting": {"GET": API_UNIT},
    "api:reporting_requirement_detail": {"GET": API_UNIT},
    "api:unit_data_requests": {"GET": API_UNIT},
    "api:unit_data_request_create": {"GET": API_UNIT, "POST": signed_in(400, anonymous=401)},
    # --- the trust pulse's API: the target is a closed pulse of Hemtjänst Norr. The answer needs no sign-in
    # (the code in the body is the right); a form-encoded body is not JSON. Update (PUT) shares its path
    # with the read, the share (PUT) is neither GET nor POST.
    "api:pulse_list": {"GET": API_OWN},
    "api:pulse_detail": {"GET": API_UNIT},
    "api:pulse_update": {"GET": API_UNIT},
    "api:pulse_results": {"GET": API_UNIT},
    "api:pulse_create": {"GET": everyone(405), "POST": signed_in(400, anonymous=401)},
    "api:pulse_open": {"GET": everyone(405), "POST": API_UNIT_MANAGE_CLOSED},
    "api:pulse_remind": {"GET": everyone(405), "POST": API_UNIT_MANAGE_CLOSED},
    "api:pulse_close": {"GET": everyone(405), "POST": API_UNIT_MANAGE_CLOSED},
    "api:pulse_results_share": {"GET": everyone(405), "POST": everyone(405)},
    "api:pulse_answer": {"GET": everyone(405), "POST": everyone(400)},
    # --- Sign-in (django-allauth): no tenant data; the answers are pinned so changes are noticed --
    "account_login": {"GET": signed_in(Redirect("/"), anonymous=200)},
    "account_logout": {"GET": signed_in(200, anonymous=LOGIN)},
    "account_inactive": {"GET": everyone(200)},
    "account_signup": {"GET": signed_in(Redirect("/"), anonymous=200)},
    "account_reauthenticate": {"GET": signed_in(200)},
    "account_email": {"GET": signed_in(200)},
    "account_email_verification_sent": {"GET": everyone(200)},
    "account_change_password": {"GET": signed_in(200)},
    "account_set_password": {"GET": signed_in(Redirect("/accounts/password/change/"))},
    "account_reset_password": {"GET": everyone(200)},
    "account_confirm_login_code": {"GET": signed_in(Redirect("/"), anonymous=LOGIN)},
    "account_confirm_email": {"GET": everyone(200)},
    "account_reset_password_from_key_done": {"GET": everyone(200)},
    "account_reset_password_from_key": {"GET": everyone(200)},
    "account_reset_password_done": {"GET": everyone(200)},
    "mfa_index": {"GET": signed_in(200)},
    "mfa_authenticate": {"GET": signed_in(Redirect("/"), anonymous=LOGIN)},
    "mfa_reauthenticate": {"GET": signed_in(Redirect("/accounts/reauthenticate/"))},
    "mfa_activate_totp": {"GET": signed_in(Redirect("/accounts/reauthenticate/"))},
    "mfa_deactivate_totp": {"GET": signed_in(404)},
    "mfa_view_recovery_codes": {"GET": signed_in(404)},
    "mfa_generate_recovery_codes": {"GET": signed_in(Redirect("/accounts/reauthenticate/"))},
    "mfa_download_recovery_codes": {"GET": signed_in(404)},
    "socialaccount_login_cancelled": {"GET": everyone(200)},
    "socialaccount_login_error": {"GET": everyone(401)},
    "socialaccount_signup": {"GET": everyone(LOGIN)},
    "socialaccount_connections": {"GET": signed_in(200)},
    "accounts/social/login/cancelled/": {"GET": everyone(Redirect("/accounts/3rdparty/", 301))},
    "accounts/social/login/error/": {"GET": everyone(Redirect("/accounts/3rdparty/", 301))},
    "accounts/social/signup/": {"GET": everyone(Redirect("/accounts/3rdparty/", 301))},
    "accounts/social/connections/": {"GET": everyone(Redirect("/accounts/3rdparty/", 301))},
    # No OIDC provider is configured in the tests: the provider's URLs do not exist yet.
    "openid_connect_login": {"GET": everyone(404)},
    "openid_connect_callback": {"GET": everyone(404)},
}

# Django's own admin is for platform operators (is_staff), checked by a test of its own below.
NOT_COVERED_PREFIXES = ("django-admin/",)

CASES = [
    pytest.param(key, method, persona, id=f"{key}-{method}-{persona}")
    for key, methods in EXPECTATIONS.items()
    for method, answers in methods.items()
    for persona in PERSONAS
]


def _walk(patterns, prefix="", namespace=None, groups=()):
    """(route, key, kwarg names) of every URL pattern, with the kwargs of the enclosing resolvers."""
    for pattern in patterns:
        names = groups + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner, names)
        else:
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield route, name or route, names


def resolved_patterns() -> dict[str, tuple[str, tuple[str, ...]]]:
    found = {}
    for route, key, names in _walk(get_resolver().url_patterns):
        if route.startswith(NOT_COVERED_PREFIXES):
            continue
        found[key] = (route, names)
    return found


@pytest.fixture
def targets(db, same_unit, colleague, home_care_north):
    """Objects of Hemtjänst Norr for every kind of id a URL takes."""
    membership = Membership.objects.get(person=colleague, unit=home_care_north, ended_at__isnull=True)
    token, _plain = api_token_create(person=same_unit, name="Isolation test")
    agreement = agreement_targets(unit=home_care_north)  # an open draft and a boundary in force
    indicators = indicator_targets(unit=home_care_north, person=same_unit)  # data, a phase, a file
    notifications = notification_targets(unit=home_care_north, person=same_unit)  # in Johan's inbox
    obstacles = obstacle_targets(unit=home_care_north)  # raised anonymously by the colleague
    delegation = delegation_targets(unit=home_care_north, person=same_unit)  # a register, a pending file
    return {
        **indicators,
        **look_targets(unit=home_care_north, person=same_unit),
        **notifications,
        **obstacles,
        **delegation,
        **experiment_targets(unit=home_care_north, person=same_unit),
        **burden_targets(unit=home_care_north, person=same_unit),
        **pulse_targets(unit=home_care_north, person=same_unit),
        **whistle_targets(),
        "version_id": agreement["version_id"],
        "boundary_id": agreement["boundary_id"],
        "unit_id": home_care_north.pk,
        "membership_id": membership.pk,
        "person_id": colleague.pk,
        "level_id": home_care_north.level_id,
        "token_id": token.pk,
        # An invitation link for the colleague with a token that is not valid.
        "uidb64": urlsafe_base64_encode(str(colleague.pk).encode()),
        "token": "not-a-valid-token",
        # allauth's e-mail confirmation and password reset keys, and the OIDC provider id.
        "key": "not-a-valid-key",
        "uidb36": "1",
        "provider_id": "sso",
    }


def url_for(key: str, targets: dict) -> str:
    route, names = resolved_patterns()[key]
    if key == route:  # an unnamed pattern without kwargs
        assert names == ()
        return "/" + route
    return reverse(key, kwargs={name: targets[name] for name in names})


def test_every_url_pattern_is_classified():
    resolved = resolved_patterns()

    unclassified = sorted(set(resolved) - set(EXPECTATIONS))
    stale = sorted(set(EXPECTATIONS) - set(resolved))

    assert unclassified == [], "New URL patterns need an expectation in tests/test_isolation.py"
    assert stale == [], "These expectations are for URL patterns that no longer exist"


def test_number_of_url_patterns_covered(record_testsuite_property):
    covered = len(resolved_patterns())
    record_testsuite_property("isolation_url_patterns", covered)
    print(f"\nThe isolation test covers {covered} URL patterns with {len(CASES)} requests.")  # noqa: T201

    assert covered == len(EXPECTATIONS) == 206


@pytest.mark.parametrize(("key", "method", "persona"), CASES)
def test_url_answers_each_persona_as_expected(request, client, targets, key, method, persona):
    url = url_for(key, targets)
    if persona != "anonymous":
        signed_in_client(client, request.getfixturevalue(persona))  # with MFA: past the whistle gate
    data = {"language": "sv", "next": "/"} if key == "set_language" else {}

    response = client.get(url) if method == "GET" else client.post(url, data)

    expected = EXPECTATIONS[key][method][persona]
    if isinstance(expected, Redirect):
        assert response.status_code == expected.status
        assert response["Location"].startswith(expected.to)
    else:
        assert response.status_code == expected
    if persona == "other_organisation":
        body = response.content.decode()
        assert [name for name in LEAKABLE if name in body] == []


def _without_per_request_values(response) -> str:
    """The page without its CSP nonce, CSRF token and own address, which differ by request."""
    body = response.content.decode()
    body = re.sub(r'nonce="[^"]*"', 'nonce=""', body)
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', body)
    # The language switch sends the person back to the page they asked for.
    return re.sub(r'name="next" type="hidden" value="[^"]*"', 'name="next"', body)


def test_another_organisations_unit_is_indistinguishable_from_a_missing_one(
    client, other_organisation, home_care_north
):
    client.force_login(other_organisation)

    existing = client.get(f"/units/{home_care_north.pk}/")
    missing = client.get("/units/987654321/")
    api_existing = client.get(f"/api/v1/units/{home_care_north.pk}")
    api_missing = client.get("/api/v1/units/987654321")

    assert existing.status_code == missing.status_code == 404
    assert _without_per_request_values(existing) == _without_per_request_values(missing)
    assert api_existing.status_code == api_missing.status_code == 404
    assert api_existing.json() == api_missing.json()


def test_other_organisations_tree_and_home_show_only_their_own_units(client, other_organisation):
    client.force_login(other_organisation)

    tree = client.get("/chain/").content.decode()
    home = client.get("/").content.decode()

    assert "Grannby kommunfullmäktige" in tree
    assert "Hemtjänst Grannby" in home
    assert [name for name in LEAKABLE if name in tree + home] == []


def test_other_organisations_api_lists_only_their_own_units(client, other_organisation):
    client.force_login(other_organisation)

    names = [unit["name"] for unit in client.get("/api/v1/units").json()]

    # Ville's own chain, top first; Grannbygården is beside his unit, outside his chain.
    assert names == [
        "Grannby kommunfullmäktige",
        "Grannby omsorgsnämnd",
        "Omsorgsförvaltningen",
        "Hemtjänst Grannby",
    ]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_django_admin_sends_organisation_people_to_its_own_sign_in(db, request, client, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/django-admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/django-admin/login/")


def test_another_organisations_administrator_gets_404_for_this_organisations_level(
    client, other_organisation, home_care_north
):
    from tillit.chain.models import Role, Unit
    from tillit.chain.services import membership_create

    grannby_top = Unit.objects.get(organisation=other_organisation.organisation, parent=None)
    membership_create(
        access=Access.system(),
        person=other_organisation,
        unit=grannby_top,
        role=Role.objects.get(organisation=other_organisation.organisation, name="Systemadministratör"),
    )
    client.force_login(other_organisation)

    level_page = client.get(f"/organisation/levels/{home_care_north.level_id}/")
    settings_page = client.get("/organisation/")

    assert level_page.status_code == 404
    assert settings_page.status_code == 200
    assert "Grannby kommun" in settings_page.content.decode()
    assert "Exempelby" not in settings_page.content.decode()


@pytest.mark.parametrize("persona", ["other_branch", "other_organisation", "colleague"])
def test_valid_writes_from_outside_the_management_chain_change_nothing(request, client, targets, persona):
    from tillit.audit.models import AuditEvent
    from tillit.chain.models import Level, Role, Unit

    norr = Unit.objects.get(pk=targets["unit_id"])
    staff_role = Role.objects.get(organisation=norr.organisation, name="Medarbetare")
    team_level = Level.objects.get(organisation=norr.organisation, name="Arbetslag")
    writes = [
        (f"/units/{norr.pk}/new-sub-unit/", {"name": "Smuggelgruppen", "level": team_level.pk}),
        (f"/units/{norr.pk}/rename/", {"name": "Kapad", "level": team_level.pk}),
        (f"/units/{norr.pk}/move/", {"new_parent": Unit.objects.get(name="Ekskolan").pk}),
        (f"/units/{norr.pk}/invite/", {"full_name": "Smuggel", "email": "s@x.se", "role": staff_role.pk}),
        (f"/units/{norr.pk}/roles/new/", {"person": targets["person_id"], "role": staff_role.pk}),
        (f"/roles/{targets['membership_id']}/end/", {}),
        (f"/units/{norr.pk}/close/", {}),
        (f"/organisation/levels/{team_level.pk}/", {"name": "Kapad"}),
        ("/organisation/roles/new/", {"name": "Kapad", "can_administer": "on"}),
        (f"/me/api-tokens/{targets['token_id']}/revoke/", {}),
    ]
    events_before = AuditEvent.objects.count()
    client.force_login(request.getfixturevalue(persona))

    statuses = [client.post(url, data).status_code for url, data in writes]

    norr.refresh_from_db()
    assert set(statuses) <= {403, 404}
    assert AuditEvent.objects.count() == events_before
    assert (norr.name, norr.closed_at, norr.parent.name) == ("Hemtjänst Norr", None, "Hemtjänsten")
