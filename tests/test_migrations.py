import pytest
from django.core.management import call_command

pytestmark = pytest.mark.integration


def test_the_models_and_the_migrations_agree(db):
    """A model change without its migration would reach production unapplied."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
