from django.core.management.base import BaseCommand

from tillit.core.clock import today
from tillit.whistle.enums import State
from tillit.whistle.models import Report
from tillit.whistle.services import retention


class Command(BaseCommand):
    help = (
        "Purge now the closed whistleblowing cases whose purge date has come (what the daily task does), "
        "and clear unfinished uploads, expired reporter sessions and spent proof-of-work marks. "
        "A public channel without a gallring decision is refused. --dry-run only lists the case numbers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the case numbers due, purge nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            due = Report.objects.filter(
                state=State.CLOSED, purge_on__isnull=False, purge_on__lte=today()
            ).select_related("channel")
            for report in due.order_by("channel__name", "year", "number"):
                refusal = retention.purge_refusal(report.channel)
                suffix = " (refused: no gallring decision)" if refusal else ""
                self.stdout.write(
                    f"{report.channel.name}: {report.case_number}, due {report.purge_on}{suffix}"
                )
            return
        result = retention.reports_purge_due(today=today())
        for line in result.refused:
            self.stderr.write(self.style.ERROR(line))
        self.stdout.write(f"{len(result.purged)} case(s) purged: {', '.join(result.purged) or '-'}.")
        uploads = retention.pending_uploads_clean()
        sessions = retention.reporter_sessions_clean()
        proofs = retention.spent_proofs_clean()
        self.stdout.write(
            f"{uploads} unfinished upload(s), {sessions} expired reporter session(s) and "
            f"{proofs} spent proof mark(s) removed."
        )
