"""No third-party requests: every request of a session goes to Tillit's own host."""

from urllib.parse import urlsplit

import pytest

from .conftest import MANAGER, unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_session_requests_only_the_own_host(page, login, live_host):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    login(MANAGER)
    home_care = unit("Hemtjänst Norr")
    for url in [
        "/",
        "/chain/",
        home_care.get_absolute_url(),
        f"/units/{home_care.pk}/audit-log/",
        f"/units/{home_care.pk}/new-sub-unit/",
        "/me/security/",
        "/me/api-tokens/",
        "/accounts/2fa/",
        "/no-such-page/",
    ]:
        page.goto(url)  # waits for the load event: stylesheets, scripts and images
    page.wait_for_load_state("networkidle")  # and anything the last page asks for later

    assert len(requests) > 10
    scripts_and_styles = [url for url in requests if url.endswith((".js", ".css"))]
    assert scripts_and_styles, "the pages load their own CSS and htmx"
    foreign = [
        url for url in requests if urlsplit(url).scheme != "data" and urlsplit(url).netloc != live_host
    ]
    assert foreign == []
