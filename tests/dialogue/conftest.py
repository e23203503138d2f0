from tests.api.test_api import api  # noqa: F401 -- the token-signed API client
from tests.followup.conftest import make_indicator, sign_boundary  # noqa: F401 -- shared fixtures
