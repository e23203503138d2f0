from django.core.management.base import BaseCommand
from django.utils import timezone

from tillit.core.schedule import STOCKHOLM
from tillit.obstacles.services import overdue_notice_schedule
from tillit.obstacles.tasks import obstacles_notify_overdue


class Command(BaseCommand):
    help = (
        "Queue the daily notice of obstacles not answered in the promised time (06:45 Stockholm time; it "
        "then queues itself each day), unless it is already queued. --now sends it at once instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Send at once instead of queueing for the worker."
        )

    def handle(self, *args, now: bool = False, **options):
        if now:
            sent = obstacles_notify_overdue.call()
            self.stdout.write(f"{sent} overdue obstacle(s) notified.")
            return
        run_after = overdue_notice_schedule()
        if run_after is None:
            self.stdout.write("The daily overdue notice is already queued.")
            return
        when = timezone.localtime(run_after, STOCKHOLM).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"The daily overdue notice is queued for {when} (Europe/Stockholm).")
