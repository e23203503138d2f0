import pytest


@pytest.fixture
def without_agreements(db):
    """Start from units without trust agreements, whatever the demo signed: these tests build their own.
    (Inside the test's transaction, so the demo is back for the next test.)"""
    from tillit.agreements.models import Agreement, BoundaryReport

    BoundaryReport.objects.all().delete()
    Agreement.objects.all().delete()
