from tests.followup.conftest import make_indicator, sign_boundary  # noqa: F401 -- shared fixtures
