import pytest
from django.core.management import CommandError, call_command

from tillit.followup.models import AnalysisResult

from .conftest import STABLE

pytestmark = pytest.mark.integration


def test_the_analyse_command_recomputes_one_organisation(make_indicator, home_care_north, capsys):
    indicator = make_indicator(home_care_north, "Fall", STABLE)

    call_command("analyse", organisation="exempelby")

    assert AnalysisResult.objects.filter(indicator=indicator).exists()
    assert "exempelby:" in capsys.readouterr().out


def test_the_analyse_command_refuses_an_unknown_organisation(db):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("analyse", organisation="nowhere")
