import pytest

pytestmark = pytest.mark.integration


def test_unit_page_renders_for_member(client, same_unit, home_care_north):
    client.force_login(same_unit)
    response = client.get(home_care_north.get_absolute_url())
    assert response.status_code == 200
    assert "Hemtjänst Norr" in response.content.decode()
