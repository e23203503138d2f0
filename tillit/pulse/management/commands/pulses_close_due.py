from django.core.management.base import BaseCommand
from django.utils import timezone

from tillit.core.schedule import STOCKHOLM
from tillit.pulse.services import pulse_close_schedule
from tillit.pulse.tasks import pulses_close


class Command(BaseCommand):
    help = (
        "Queue the daily close of trust pulses whose last day has passed (00:30 Stockholm time; it then "
        "queues itself each day), unless it is already queued. --now closes them at once instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Close at once instead of queueing for the worker."
        )

    def handle(self, *args, now: bool = False, **options):
        if now:
            closed = pulses_close.call()
            self.stdout.write(f"{closed} trust pulse(s) closed.")
            return
        run_after = pulse_close_schedule()
        if run_after is None:
            self.stdout.write("The daily close of trust pulses is already queued.")
            return
        when = timezone.localtime(run_after, STOCKHOLM).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"The daily close of trust pulses is queued for {when} (Europe/Stockholm).")
