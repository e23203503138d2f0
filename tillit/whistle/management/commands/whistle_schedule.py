from django.core.management.base import BaseCommand
from django.utils import timezone

from tillit.core.schedule import STOCKHOLM
from tillit.whistle.tasks import whistle_schedule


class Command(BaseCommand):
    help = (
        "Queue the whistleblowing channel's background work unless it is already queued: the hourly news "
        "e-mail to handlers and clean-up, the daily deadline reminders (07:00) and the daily purge of closed "
        "cases whose time has come (03:15, Europe/Stockholm). Each run then queues the next."
    )

    def handle(self, *args, **options):
        for name, run_after in whistle_schedule().items():
            if run_after is None:
                self.stdout.write(f"{name}: already queued.")
                continue
            when = timezone.localtime(run_after, STOCKHOLM).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{name}: queued for {when} (Europe/Stockholm).")
