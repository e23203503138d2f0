"""Forms of the whistleblowing channel's staff pages: the keys, the actions on a case, an oral report.

Files never reach a form: `files.EncryptingUploadHandler` encrypts them while they stream in, and the
view gives the form the handler's pending files (`pending=`), so that a form can still require one.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.whistle.enums import Mode
from tillit.whistle.services.identity import MAX_MOTIVATION
from tillit.whistle.services.keys import MIN_PASSPHRASE
from tillit.whistle.services.reports import IDENTITY_FIELDS, MAX_MESSAGE, MAX_TEXT

# A key passphrase must not end up in a password manager under the sign-in password's entry.
SECRET_ATTRS = {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True

    def __init__(self):
        super().__init__(attrs={"multiple": True})


class EncryptedFilesField(forms.Field):
    """A file input whose files the upload handler holds; `StaffForm.clean` checks a required one."""

    widget = MultipleFileInput

    def clean(self, value):
        return None


class StaffForm(forms.Form):
    """Ids of its own (several forms share a page), and the request's encrypted uploads as `pending`."""

    id_prefix = "form"

    def __init__(self, *args, pending=(), **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        self.pending = list(pending)

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, EncryptedFilesField) and field.required and not self.pending:
                self.add_error(name, _("Attach at least one file."))
        return cleaned


def _secret(label, *, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs=SECRET_ATTRS),
    )


# ------------------------------------------------------------------------------------------ keys


class NewPassphraseForm(StaffForm):
    """A new key passphrase, typed twice (creating keys, changing the passphrase, recovering)."""

    id_prefix = "keys"
    passphrase = _secret(
        _("New key passphrase"),
        help_text=_(
            "At least %(n)s characters, and not your sign-in password. A few words you can remember "
            "work well. Without it or the recovery key nobody can open your cases."
        )
        % {"n": MIN_PASSPHRASE},
    )
    passphrase_again = _secret(_("The new key passphrase again"))

    def clean(self):
        cleaned = super().clean()
        first, again = cleaned.get("passphrase"), cleaned.get("passphrase_again")
        if first and again is not None and first != again:
            self.add_error("passphrase_again", _("The two passphrases are not the same."))
        return cleaned


class UnlockForm(StaffForm):
    id_prefix = "unlock"
    passphrase = _secret(_("Key passphrase"))


class RecoverForm(NewPassphraseForm):
    id_prefix = "recover"
    recovery_key = forms.CharField(
        label=_("Recovery key"),
        help_text=_("The groups of letters and digits on the paper you printed when you created your keys."),
        max_length=200,
        widget=forms.TextInput(attrs=SECRET_ATTRS),
    )

    field_order = ["recovery_key", "passphrase", "passphrase_again"]


# ------------------------------------------------------------------------------------ case actions


class AcknowledgeForm(StaffForm):
    id_prefix = "ack"
    body = forms.CharField(
        label=_("Message with the acknowledgement (optional)"),
        help_text=_("Without a message of your own the reporter gets a standard text."),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MessageForm(StaffForm):
    id_prefix = "message"
    body = forms.CharField(
        label=_("Message to the reporter"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = EncryptedFilesField(label=_("Attachments (optional)"), required=False)


class FeedbackForm(StaffForm):
    id_prefix = "feedback"
    body = forms.CharField(
        label=_("Feedback to the reporter"),
        help_text=_("What has been done or will be done about the report, and why."),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class TranscriptForm(StaffForm):
    id_prefix = "transcript"
    body = forms.CharField(
        label=_("Message with the transcript (optional)"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = EncryptedFilesField(
        label=_("Recording, transcript or minutes"),
        help_text=_("The reporter can check, correct and approve it in their inbox."),
        required=True,
    )


class GrantForm(StaffForm):
    id_prefix = "grant"
    person = forms.TypedChoiceField(label=_("Handler"), coerce=int)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(role.person_id, role.shown_name) for role in candidates]


class IdentityRequestForm(StaffForm):
    id_prefix = "identity"
    motivation = forms.CharField(
        label=_("Why does the follow-up need the reporter's identity?"),
        help_text=_(
            "An identity custodian reads this and decides. Your request and the decision are logged."
        ),
        max_length=MAX_MOTIVATION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RemoveFileForm(StaffForm):
    id_prefix = "remove"
    attachment_id = forms.UUIDField(widget=forms.HiddenInput)


# ------------------------------------------------------------------------------------ an oral report


# The identity questions of `services.reports.IDENTITY_FIELDS`, asked by the handler about the reporter.
ORAL_IDENTITY_LABELS = {
    "name": _("The reporter's name"),
    "contact": _("How to reach the reporter (telephone or private e-mail)"),
    "relation": _("The reporter's relation to the organisation"),
}
assert set(ORAL_IDENTITY_LABELS) == {code for code, _label in IDENTITY_FIELDS}


class OralReportForm(StaffForm):
    id_prefix = "oral"
    mode = forms.ChoiceField(label=_("How does the reporter want to report?"), widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("What is the report about?"))
    summary = forms.CharField(
        label=_("What was reported"),
        help_text=_("A summary in your words. The recording, transcript or minutes are attached below."),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    transcript = EncryptedFilesField(
        label=_("Recording, transcript or minutes"),
        help_text=_(
            "Required. Record or transcribe only with the reporter's consent; otherwise write accurate "
            "minutes. The reporter can check, correct and approve them in their inbox."
        ),
        required=True,
    )

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        modes = []
        if channel.accepts_confidential:
            modes.append((Mode.CONFIDENTIAL, _("Confidentially, with their identity")))
        if channel.accepts_anonymous:
            modes.append((Mode.ANONYMOUS, _("Anonymously")))
        self.fields["mode"].choices = modes
        self.fields["category"].choices = [("", _("Choose…"))] + [(text, text) for text in channel.categories]
        for code, label in ORAL_IDENTITY_LABELS.items():
            self.fields[code] = forms.CharField(
                label=label,
                required=False,
                max_length=500,
                help_text=_("Only for a confidential report.") if code == "name" else "",
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
        self.order_fields(["mode", "category", "summary", *ORAL_IDENTITY_LABELS, "transcript"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == Mode.CONFIDENTIAL and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("A confidential report needs the reporter's name."))
        return cleaned

    def identity(self) -> dict | None:
        if self.cleaned_data["mode"] != Mode.CONFIDENTIAL:
            return None
        return {code: self.cleaned_data.get(code, "") for code, _l in IDENTITY_FIELDS}
