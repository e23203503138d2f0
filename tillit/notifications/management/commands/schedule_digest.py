from django.core.management.base import BaseCommand
from django.utils import timezone

from tillit.notifications.services import DIGEST_ZONE, digest_schedule


class Command(BaseCommand):
    help = "Queue the next daily notification digest (07:00 Stockholm time) unless one is already queued."

    def handle(self, *args, **options):
        run_after = digest_schedule()
        if run_after is None:
            self.stdout.write("The next daily digest is already queued.")
            return
        when = timezone.localtime(run_after, DIGEST_ZONE).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"The next daily digest is queued for {when} (Europe/Stockholm).")
