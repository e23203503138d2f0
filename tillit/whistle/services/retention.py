"""Retention: closed cases are purged when their time is up, and nothing else lingers (W-12, T-19, T-29;
L-10, L-14).

A closed case's `purge_on` is set when it closes (`cases.purge_date`): two years later for a private
body (lag 2021:890, 7 kap.), by the recorded gallringsbeslut for a public one; reopening clears it. The
daily task (`tasks.whistle_purge`) then deletes every row of the case, overwrites and unlinks its files,
and leaves one line in the channel's log: that case number was purged, under which rule. A public
body's reports are allmänna handlingar and may only be destroyed under a gallring decision, so a
public channel without one purges nothing, whatever its cases' dates say.

The same task clears what is left over: uploads whose request never finished (ciphertext whose key died
with the request), stored files no attachment names (moved into `files/` by a transaction that was then
rolled back: their key died with it), expired reporter sessions and spent proof-of-work marks.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.core.clock import now
from tillit.whistle import files
from tillit.whistle.enums import Sector, State, WhistleAction
from tillit.whistle.models import (
    Attachment,
    Channel,
    Exclusion,
    IdentityKeyCopy,
    IdentityRequest,
    Message,
    Report,
    ReporterSession,
    ReportKeyCopy,
    SpentProof,
)
from tillit.whistle.services.common import event_record

logger = logging.getLogger(__name__)

PENDING_MAX_AGE = timedelta(hours=1)
ORPHAN_MAX_AGE = timedelta(hours=1)
ORPHAN_BATCH = 500  # stored names per query when looking for their attachments


@dataclass
class PurgeResult:
    """What a purge run did: the case numbers purged, and the channels it refused to purge, in words
    without content (a channel's name and the number of cases waiting)."""

    purged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def purge_refusal(channel: Channel) -> str:
    """Why a channel's due cases may not be purged; empty if they may."""
    if channel.sector == Sector.PUBLIC and not (channel.gallringsbeslut_ref and channel.gallringsfrist_days):
        return _(
            "A public body's reports are allmänna handlingar: they may only be purged under a recorded "
            "gallring decision, and this channel has none."
        )
    return ""


def _rule(channel: Channel) -> str:
    if channel.sector == Sector.PUBLIC:
        return f"gallringsbeslut {channel.gallringsbeslut_ref}"
    return "lag (2021:890) 7 kap."


def report_purge(*, report: Report) -> str:
    """Delete one case whole: its messages, files, key copies, identity copies, exclusions and identity
    requests, then the report. The files are overwritten and unlinked once the deletion is committed;
    the log keeps the case number and the rule, nothing else. Answers the case number."""
    channel = report.channel
    stored_names = list(Attachment.objects.filter(report=report).values_list("stored_name", flat=True))
    case_number = report.case_number
    Attachment.objects.filter(report=report).delete()
    Message.objects.filter(report=report).delete()
    ReportKeyCopy.objects.filter(report=report).delete()
    IdentityKeyCopy.objects.filter(report=report).delete()
    Exclusion.objects.filter(report=report).delete()
    IdentityRequest.objects.filter(report=report).delete()
    Report.objects.filter(pk=report.pk).delete()
    event_record(channel=channel, action=WhistleAction.PURGED, report=report, note=_rule(channel))

    def overwrite():
        for stored_name in stored_names:
            files.secure_delete(files.path_of(files.STORED, stored_name))

    transaction.on_commit(overwrite)
    return case_number


def reports_purge_due(*, today: date) -> PurgeResult:
    """Purge every closed case whose `purge_on` has come (on that day, not before), channel by channel
    and case by case, each in its own transaction. A channel that may not purge (`purge_refusal`) is
    skipped whole and named in the result and in an error log line, without any content."""
    result = PurgeResult()
    due = Report.objects.filter(state=State.CLOSED, purge_on__isnull=False, purge_on__lte=today)
    channel_ids = sorted(set(due.values_list("channel_id", flat=True)))
    for channel in Channel.objects.filter(pk__in=channel_ids).order_by("pk"):
        waiting = due.filter(channel=channel)
        refusal = purge_refusal(channel)
        if refusal:
            count = waiting.count()
            logger.error(
                "Whistleblowing channel %s: %s closed case(s) are due for purging, but nothing was purged: "
                "the channel is public and has no gallring decision.",
                channel.pk,
                count,
            )
            result.refused.append(
                _("%(channel)s: %(count)s case(s) not purged. %(reason)s")
                % {"channel": channel.name, "count": count, "reason": refusal}
            )
            continue
        for report_id in waiting.order_by("year", "number").values_list("pk", flat=True):
            with transaction.atomic():
                report = (
                    Report.objects.select_for_update()
                    .select_related("channel")
                    .filter(pk=report_id, state=State.CLOSED, purge_on__lte=today)
                    .first()
                )
                if report is None:  # reopened meanwhile
                    continue
                result.purged.append(report_purge(report=report))
    if result.purged:
        logger.info("Whistleblowing: %s closed case(s) purged.", len(result.purged))
    return result


def pending_uploads_clean(*, older_than: timedelta = PENDING_MAX_AGE) -> int:
    """Remove uploads left in `pending/` longer than `older_than` since their last write: their request
    failed or was refused, and their key is gone with it (T-19). Answers how many were removed."""
    directory = files.directory(files.PENDING)
    limit = (now() - older_than).timestamp()
    removed = 0
    for path in directory.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                removed += 1
        except FileNotFoundError:  # moved to `files/` or removed meanwhile
            continue
    return removed


def _day_end(file_time: float) -> datetime:
    """The end of the day a stored file is dated to (files.store sets its times to that day's midnight,
    in the installation's time zone): the latest moment it can have been stored."""
    day = datetime.fromtimestamp(file_time, tz=timezone.get_current_timezone()).date()
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def orphan_files_clean(*, older_than: timedelta = ORPHAN_MAX_AGE) -> int:
    """Overwrite and remove the files in `files/` that no attachment names: a report or message whose
    transaction was rolled back after its files were moved in. Their key died with the rolled-back row,
    so they are ciphertext nobody can open. Answers how many were removed.

    A stored file's times show only its day, and its change time is renewed by every blurring run
    (files.stored_times_blur), so a file counts as older than `older_than` only once its day ended more
    than `older_than` ago: an orphan goes between one and about twenty-five hours after it was left.
    That way a file that a transaction still open has just moved in (its row not yet visible here) is
    never taken. Files are listed before the attachments are read, for the same reason."""
    directory = files.directory(files.STORED)
    limit = now() - older_than
    candidates = {}
    for path in directory.iterdir():
        try:
            uuid.UUID(path.name)  # only our own names: anything else in the folder is not ours to remove
            if path.is_file() and _day_end(path.stat().st_mtime) < limit:
                candidates[path.name] = path
        except ValueError:
            continue
        except FileNotFoundError:  # purged meanwhile
            continue
    names = sorted(candidates)
    named: set[str] = set()
    for start in range(0, len(names), ORPHAN_BATCH):
        batch = names[start : start + ORPHAN_BATCH]
        named.update(Attachment.objects.filter(stored_name__in=batch).values_list("stored_name", flat=True))
    orphans = [path for name, path in candidates.items() if name not in named]
    for path in orphans:
        files.secure_delete(path)
    if orphans:
        logger.warning("Whistleblowing: %s stored file(s) without an attachment removed.", len(orphans))
    return len(orphans)


def stored_times_blur() -> int:
    """The hour's stored files get this run's change time, not their upload's (files.stored_times_blur)."""
    return files.stored_times_blur()


def reporter_sessions_clean() -> int:
    """Delete the reporter sessions whose idle time has run out."""
    deleted, _by_model = ReporterSession.objects.filter(expires_at__lt=now()).delete()
    return deleted


def spent_proofs_clean() -> int:
    """Delete the marks of spent proof-of-work challenges that are too old to be tried again anyway."""
    deleted, _by_model = SpentProof.objects.filter(expires_at__lt=now()).delete()
    return deleted
