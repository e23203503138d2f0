from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tillit.chain.models import Organisation
from tillit.demo.generate import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo municipality Exempelby kommun (and the small Grannby kommun)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Empty the database first.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo is already loaded (for `make demo`).",
        )

    def handle(self, *args, reset: bool, if_empty: bool, **options):
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        elif Organisation.objects.filter(slug="exempelby").exists():
            if if_empty:
                self.stdout.write("The demo municipality is already loaded.")
                return
            raise CommandError("The demo is already loaded. Use --reset to start over.")
        result = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.organisation.name}: {result.units} units, {result.people} people in all."
            )
        )
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in result.logins:
            self.stdout.write(f"  {login.email:<32} {login.name} – {login.description}")
