from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """The legal regime: a public body's reports are allmänna handlingar (kept, gallrade by decision)."""

    PUBLIC = "public", _("Public sector (kommun, region, myndighet)")
    PRIVATE = "private", _("Private sector (bolag, förening)")


class Role(models.TextChoices):
    HANDLER = "handler", _("Handler")
    CUSTODIAN = "custodian", _("Identity custodian")
    ESCROW = "escrow", _("Key escrow holder")


class Mode(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous")
    CONFIDENTIAL = "confidential", _("Confidential, with identity")


class Origin(models.TextChoices):
    WRITTEN = "written", _("Written, through the channel")
    ORAL = "oral", _("Oral, registered by a handler")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class Author(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    HANDLER = "handler", _("Handler")


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement of receipt")
    FEEDBACK = "feedback", _("Feedback")
    MEETING_REQUEST = "meeting_request", _("Request for a meeting")
    TRANSCRIPT = "transcript", _("Transcript or minutes to check")


class TranscriptState(models.TextChoices):
    NONE = "", _("No transcript")
    AWAITING = "awaiting", _("Waiting for the reporter's approval")
    APPROVED = "approved", _("Approved by the reporter")
    CORRECTED = "corrected", _("The reporter asked for corrections")


class IdentityRequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for a custodian")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class WhistleAction(models.TextChoices):
    """The channel's own access log. Never a word of content; the reporter is never named."""

    CHANNEL_CHANGED = "channel_changed", _("Channel settings changed")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    KEYRING_CREATED = "keyring_created", _("Keys created")
    PASSPHRASE_CHANGED = "passphrase_changed", _("Key passphrase changed")
    RECOVERY_USED = "recovery_used", _("Recovery key used")
    ESCROW_SET_UP = "escrow_set_up", _("Key escrow set up")
    ESCROW_USED = "escrow_used", _("Key escrow used")
    REPORT_RECEIVED = "report_received", _("Report received")
    ORAL_REGISTERED = "oral_registered", _("Oral report registered")
    CASE_VIEWED = "case_viewed", _("Case opened")
    CASE_EXPORTED = "case_exported", _("Case exported")
    FILE_DOWNLOADED = "file_downloaded", _("Attachment downloaded")
    ACKNOWLEDGED = "acknowledged", _("Receipt acknowledged")
    MESSAGE_SENT = "message_sent", _("Message sent")
    FEEDBACK_SENT = "feedback_sent", _("Feedback sent")
    ACCESS_GRANTED = "access_granted", _("Case access granted to a handler")
    CLOSED = "closed", _("Case closed")
    REOPENED = "reopened", _("Case reopened")
    PURGED = "purged", _("Case purged (gallrat)")
    IDENTITY_REQUESTED = "identity_requested", _("Identity access requested")
    IDENTITY_APPROVED = "identity_approved", _("Identity access approved")
    IDENTITY_DENIED = "identity_denied", _("Identity access denied")
    IDENTITY_VIEWED = "identity_viewed", _("Identity viewed")
    CROSS_CASE_REFUSED = "cross_case_refused", _("Access to another case refused")
    FLOOD_REFUSED = "flood_refused", _("Reports refused: too many this hour")
    PERSONAL_DATA_REMOVED = "personal_data_removed", _("Irrelevant personal data removed")
