from django.core.management.base import BaseCommand

from tillit.obstacles.tasks import obstacles_notify_overdue


class Command(BaseCommand):
    help = "Queue the daily notice of obstacles not answered in the promised time (run it once a day, e.g. from cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Send at once instead of queueing for the worker."
        )

    def handle(self, *args, now: bool = False, **options):
        if now:
            sent = obstacles_notify_overdue.call()
            self.stdout.write(f"{sent} overdue obstacle(s) notified.")
        else:
            obstacles_notify_overdue.enqueue()
            self.stdout.write("Queued the overdue notice for the task worker.")
