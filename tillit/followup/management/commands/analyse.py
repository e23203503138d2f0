import time

from django.core.management.base import BaseCommand, CommandError

from tillit.chain.models import Organisation
from tillit.followup.tasks import followup_refresh


class Command(BaseCommand):
    help = "Recompute the process behaviour analysis of every indicator (or of one organisation's)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="the organisation's short name (slug); default: all")

    def handle(self, *args, organisation=None, **options):
        organisations = Organisation.objects.order_by("slug")
        if organisation:
            organisations = organisations.filter(slug=organisation)
            if not organisations.exists():
                raise CommandError(f"No organisation with the short name {organisation!r}.")
        for each in organisations:
            started = time.perf_counter()
            run = followup_refresh(organisation_id=each.pk)
            self.stdout.write(
                f"{each.slug}: {run.analysed} series analysed, {run.written} results written, "
                f"{run.removed} removed in {time.perf_counter() - started:.2f} s"
            )
