"""The whistleblowing channel (visselblåsning): its own tables, sharing nothing with the rest of Tillit
but the organisation's id and the accounts of the people given a role in it.

Nothing in a report is stored in the clear: answers, messages, the category, file names and identities
are ciphertext (`crypto`), readable only by those holding a key. Reporter-side times are kept as dates,
never as moments, and no row holds an address, a browser or a session of the staff application.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.whistle.enums import (
    Author,
    IdentityRequestState,
    MessageKind,
    Mode,
    Origin,
    Role,
    Sector,
    State,
    TranscriptState,
    WhistleAction,
)

DEFAULT_CATEGORIES = [
    "Ekonomiska oegentligheter, mutor eller jäv",
    "Arbetsmiljö eller säkerhet",
    "Brister i vård, omsorg eller myndighetsutövning",
    "Miljö eller folkhälsa",
    "Dataskydd och informationssäkerhet",
    "Annat missförhållande av allmänintresse",
]
PRIVATE_RETENTION_MONTHS = 24  # lag (2021:890) 7 kap.: at most two years after the case is closed


class Channel(models.Model):
    """An organisation's internal reporting channel (intern rapporteringskanal)."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(_("address"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices, default=Sector.PUBLIC)
    is_open = models.BooleanField(_("open for reports"), default=False)
    accepts_anonymous = models.BooleanField(_("accepts anonymous reports"), default=True)
    accepts_confidential = models.BooleanField(_("accepts confidential reports with identity"), default=True)
    reporters_may_exclude = models.BooleanField(_("reporters may exclude a handler"), default=True)
    categories = models.JSONField(_("categories"), default=list)
    procedure = models.TextField(_("procedure"), blank=True)
    external_channels = models.TextField(_("external channels"), blank=True)
    oral_reporting = models.TextField(_("how to report orally"), blank=True)
    employees_at_year_start = models.PositiveIntegerField(_("workers at the start of the year"), null=True)
    gallringsbeslut_ref = models.CharField(_("gallring decision"), max_length=200, blank=True)
    gallringsfrist_days = models.PositiveIntegerField(_("days kept after closing"), null=True, blank=True)
    reports_per_hour = models.PositiveIntegerField(_("reports accepted per hour"), default=30)
    receipt_salt = models.BinaryField(max_length=16)
    escrow_public_key = models.BinaryField(max_length=32, null=True)
    next_number = models.PositiveIntegerField(default=1)
    number_year = models.PositiveSmallIntegerField(null=True)  # case numbers start at 1 each year

    class Meta:
        verbose_name = _("whistleblowing channel")
        verbose_name_plural = _("whistleblowing channels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChannelRole(models.Model):
    """A person's role in a channel. Who they are to a reporter is `shown_name` (e.g. an external firm)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    shown_name = models.CharField(_("name shown to reporters"), max_length=200)
    external_provider = models.CharField(_("external provider"), max_length=200, blank=True)
    # An escrow holder's copy of the channel's escrow private key, sealed to their own public key.
    sealed_escrow_key = models.BinaryField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "person", "role"], name="whistle_role_once"),
        ]
        ordering = ["role", "shown_name"]

    def __str__(self) -> str:
        return self.shown_name


class Keyring(models.Model):
    """A person's X25519 keypair, its private key wrapped by their key passphrase and a recovery key."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    public_key = models.BinaryField(max_length=32)
    passphrase_salt = models.BinaryField(max_length=16)
    by_passphrase = models.BinaryField()
    by_recovery = models.BinaryField()
    recovery_sealed = models.BinaryField()
    must_change_passphrase = models.BooleanField(default=False)  # after a recovery or escrow reset


class EscrowCopy(models.Model):
    """A keyring's private key sealed to a channel's escrow key: allmänna handlingar stay readable."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    keyring = models.ForeignKey(Keyring, on_delete=models.CASCADE, related_name="escrow_copies")
    sealed_private_key = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "keyring"], name="whistle_escrow_once")]


class Report(models.Model):
    """A report and its follow-up case (uppföljningsärende)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    mode = models.CharField(max_length=12, choices=Mode.choices)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.WRITTEN)
    state = models.CharField(max_length=12, choices=State.choices, default=State.RECEIVED)
    # Dates, not moments: a time of day could be matched against the employer's network logs.
    received_on = models.DateField()
    ack_waived = models.BooleanField(default=False)
    acknowledged_on = models.DateField(null=True)
    feedback_on = models.DateField(null=True)
    closed_on = models.DateField(null=True)
    purge_on = models.DateField(null=True)
    public_key = models.BinaryField(max_length=32)
    receipt_lookup = models.CharField(max_length=200)
    receipt_must_change = models.BooleanField(default=False)  # an oral report's receipt, seen by a handler
    reporter_key = models.BinaryField()  # the report's private key, locked under the receipt's key
    content = models.BinaryField()  # sealed to the report key: category, answers, label
    identity = models.BinaryField(null=True)  # locked under an identity key nobody holds by default
    identity_key_for_reporter = models.BinaryField(null=True)
    transcript_state = models.CharField(max_length=10, choices=TranscriptState.choices, blank=True)
    unread_by_handlers = models.BooleanField(default=True)
    handlers_notified = models.BooleanField(default=False)  # the hourly e-mail has told of the news
    unread_by_reporter = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "year", "number"], name="whistle_report_number"),
            models.UniqueConstraint(fields=["channel", "receipt_lookup"], name="whistle_receipt_unique"),
        ]
        ordering = ["-year", "-number"]

    def __str__(self) -> str:
        return self.case_number

    @property
    def case_number(self) -> str:
        """Usable as a diarienummer: reveals nothing but the year and the order of arrival."""
        return f"VB {self.year}-{self.number:04d}"


class ReportKeyCopy(models.Model):
    """The report's private key sealed to one authorised handler. No row, no access (W-07)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="key_copies")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sealed_private_key = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "person"], name="whistle_key_copy_once")]


class IdentityKeyCopy(models.Model):
    """The identity key sealed to a custodian, or to a handler whose request a custodian approved."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identity_copies")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sealed_identity_key = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "person"], name="whistle_identity_copy_once")
        ]


class Exclusion(models.Model):
    """A handler the reporter excluded: no key copy, no notification, no listing (W-07)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "person"], name="whistle_exclusion_once")]


class Message(models.Model):
    """One message of the two-way conversation, sealed to the report key. Ordered by `sequence`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    sequence = models.PositiveIntegerField()
    author = models.CharField(max_length=10, choices=Author.choices)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    written_on = models.DateField()
    body = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "sequence"], name="whistle_message_order")]
        ordering = ["report", "sequence"]


class Attachment(models.Model):
    """An encrypted file on disk under a random name; its name, size and type are ciphertext too."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, related_name="attachments")
    author = models.CharField(max_length=10, choices=Author.choices)
    is_transcript = models.BooleanField(default=False)
    stored_name = models.CharField(max_length=64, unique=True)
    sealed_file_key = models.BinaryField()
    meta = models.BinaryField()  # sealed: {"name", "size", "type"}


class IdentityRequest(models.Model):
    """A handler's request to read the reporter's identity, decided by a custodian (W-08)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identity_requests")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=10, choices=IdentityRequestState.choices, default=IdentityRequestState.PENDING
    )
    # The motivation, locked under a key sealed to the requester and each custodian (person id -> blob).
    motivation = models.BinaryField()
    motivation_keys = models.JSONField(default=dict)
    requested_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_on = models.DateField(null=True)


class ReporterSession(models.Model):
    """A reporter signed in with a receipt. The row names no report: the report and its key are locked
    under a secret that only the reporter's cookie holds, so a database dump links no session to a case.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    sealed = models.BinaryField()
    expires_at = models.DateTimeField()


class SpentProof(models.Model):
    """A proof-of-work challenge already used: each allows exactly one submission (T-15)."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()


class WhistleEvent(models.Model):
    """The channel's own append-only log (the migration's triggers refuse UPDATE and DELETE).

    It records who of the staff did what to which case, never content. Events caused by a reporter carry
    a date only (`at` at midnight), so the log cannot time a reporter's visit.
    """

    organisation_id = models.BigIntegerField(db_index=True)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=30, choices=WhistleAction.choices)
    case_number = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
