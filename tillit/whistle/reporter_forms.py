"""Forms of the reporter pages: the report and the inbox's messages (the receipt's sign-in form is plain
HTML in its template: nothing typed into it is ever written back into a page).

No form here carries Django's CSRF token: the reporter host sets no cookie before sign-in, and after it
the session's own form token does that work (views/reporter_inbox.py).
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.whistle.enums import Mode
from tillit.whistle.services.reports import IDENTITY_FIELDS, MAX_MESSAGE, MAX_TEXT, QUESTIONS

# A receipt-like run: 16 digits, single spaces or dashes allowed between them (W-15, T-06).
RECEIPT_LIKE = re.compile(r"(?<!\d)\d(?:[ \-]?\d){15}(?!\d)")
HONEYPOT = "website"


def looks_like_receipt(text: str) -> bool:
    return bool(RECEIPT_LIKE.search(text or ""))


class ReportForm(forms.Form):
    """The written report. The service validates it again; the form gives the fields and the labels."""

    mode = forms.ChoiceField(
        label=_("How do you want to report?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you want to report."),
            "invalid_choice": _("Choose how you want to report."),
        },
    )
    category = forms.ChoiceField(
        label=_("What is the report about?"),
        error_messages={
            "required": _("Choose what the report is about."),
            "invalid_choice": _("Choose what the report is about."),
        },
    )
    excluded = forms.TypedMultipleChoiceField(
        label=_("Should someone not read your report?"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick a handler who should not read the report, for example because it concerns them. "
            "They get no access to it and are not told about it."
        ),
    )
    # A field people do not see (the page hides it); scripts that fill every field give themselves away.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, channel, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        modes = []
        if channel.accepts_anonymous:
            modes.append((Mode.ANONYMOUS.value, _("Anonymously: I do not give my name")))
        if channel.accepts_confidential:
            modes.append((Mode.CONFIDENTIAL.value, _("Confidentially: I give my name, which is kept apart")))
        self.fields["mode"].choices = modes
        self.fields["mode"].initial = modes[0][0] if modes else None
        self.fields["category"].choices = [("", _("Choose…")), *((c, c) for c in channel.categories)]
        for number, (code, label) in enumerate(QUESTIONS):
            self.fields[code] = forms.CharField(
                label=label,
                required=number == 0,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 6 if number == 0 else 3}),
                error_messages={"required": _("Tell us what has happened.")},
            )
        for code, label in IDENTITY_FIELDS:
            self.fields[f"identity_{code}"] = forms.CharField(label=label, required=False, max_length=500)
        self.fields["identity_name"].widget.attrs["autocomplete"] = "name"
        if channel.reporters_may_exclude and handlers:
            self.fields["excluded"].choices = [(role.person_id, role.shown_name) for role in handlers]
        else:
            del self.fields["excluded"]
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def question_fields(self):
        return [self[code] for code, _label in QUESTIONS]

    @property
    def identity_fields(self):
        return [self[f"identity_{code}"] for code, _label in IDENTITY_FIELDS]

    def answers(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code, "") for code, _label in QUESTIONS}

    def identity(self) -> dict[str, str] | None:
        if self.cleaned_data.get("mode") != Mode.CONFIDENTIAL:
            return None
        return {code: self.cleaned_data.get(f"identity_{code}", "") for code, _label in IDENTITY_FIELDS}

    def service_field(self, key: str) -> str | None:
        """The form field a service error names (the service says `name`, the form `identity_name`)."""
        if key in self.fields:
            return key
        if f"identity_{key}" in self.fields:
            return f"identity_{key}"
        return None


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    send_anyway = forms.BooleanField(
        label=_("Send it anyway: what looks like a receipt is not mine"),
        required=False,
    )


class MeetingForm(forms.Form):
    body = forms.CharField(
        label=_("When and where would suit you? (optional)"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    send_anyway = forms.BooleanField(
        label=_("Send it anyway: what looks like a receipt is not mine"),
        required=False,
    )


class TranscriptForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Is the transcript right?"),
        choices=[
            ("approve", _("Yes, I approve it as it is")),
            ("correct", _("No, it needs corrections")),
        ],
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("What should be corrected?"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you ask for corrections; a comment is welcome when you approve."),
    )
    send_anyway = forms.BooleanField(
        label=_("Send it anyway: what looks like a receipt is not mine"),
        required=False,
    )


class IdentityForm(forms.Form):
    """An anonymous reporter gives their identity afterwards (L-17: one way, at any time). The service
    cleans it again and seals it to the identity custodians only."""

    confirm = forms.BooleanField(
        label=_("I understand that my identity stays with the report and cannot be taken back"),
        error_messages={"required": _("Tick the box to confirm that you want to give your identity.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in IDENTITY_FIELDS:
            self.fields[code] = forms.CharField(
                label=label,
                required=code == "name",
                max_length=500,
                error_messages={"required": _("Give at least your name.")},
            )
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.order_fields([*(code for code, _label in IDENTITY_FIELDS), "confirm"])

    @property
    def identity_fields(self):
        return [self[code] for code, _label in IDENTITY_FIELDS]

    def identity(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code, "") for code, _label in IDENTITY_FIELDS}
