from tests.api.test_api import api  # noqa: F401 -- the token-signed API client
