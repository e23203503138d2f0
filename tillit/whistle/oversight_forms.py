"""Forms of the channel's oversight pages: identity decisions, escrow, settings, roles and the log filter.

Every choice of a person or a case is a queryset limited to the channel or its organisation, so a
posted id from elsewhere is refused as an invalid choice, never looked up.
"""

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tillit.whistle.enums import Role, Sector

REASON_MAX = 150  # the log's note keeps 200 characters, with room for what was done and to whom
CASE_NUMBER = re.compile(r"^\s*VB\s*(\d{4})\s*-\s*(\d{1,6})\s*$", re.IGNORECASE)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class CaseChoiceField(forms.ModelChoiceField):
    """A case by its number; `without_handler` marks the cases no handler of the channel holds."""

    def __init__(self, *args, without_handler=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.without_handler = without_handler

    def label_from_instance(self, obj) -> str:
        if obj.pk in self.without_handler:
            return gettext("%(number)s (no handler has the case)") % {"number": obj.case_number}
        return obj.case_number


class IdentityDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("deny", _("Deny"))])


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        help_text=_(
            "Why the escrow is used, and how you made sure of who asked. It is written in the channel's "
            "log, which the handlers read."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _confirm_field(text) -> forms.BooleanField:
    return forms.BooleanField(label=text, required=True)


class EscrowRestoreForm(forms.Form):
    """Restore the keys of a person who lost both the key passphrase and the recovery key."""

    person = PersonChoiceField(label=_("Whose keys"), queryset=None, empty_label=_("Choose a person"))
    reason = _reason_field()
    confirm = _confirm_field(
        _(
            "I have met the person or otherwise made sure that it is they who ask, and I will hand them the "
            "one-time passphrase myself."
        )
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, prefix="restore", **kwargs)
        self.fields["person"].queryset = people


class EscrowCaseGrantForm(forms.Form):
    """Give a case to a handler when no handler with the case is left."""

    report = CaseChoiceField(label=_("Case"), queryset=None, empty_label=_("Choose a case"))
    handler = PersonChoiceField(label=_("To the handler"), queryset=None, empty_label=_("Choose a handler"))
    reason = _reason_field()
    confirm = _confirm_field(
        _("No handler who has the case can give it on: they have left, or lost their keys.")
    )

    def __init__(self, *args, cases, handlers, without_handler=frozenset(), **kwargs):
        super().__init__(*args, prefix="grant", **kwargs)
        self.fields["report"].queryset = cases
        self.fields["report"].without_handler = without_handler
        self.fields["handler"].queryset = handlers


# ------------------------------------------------------------------------------------ settings


class CategoriesField(forms.CharField):
    """One category per line, as a list."""

    widget = forms.Textarea(attrs={"rows": 7})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value):
        text = super().clean(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class ChannelSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name of the channel"), max_length=200)
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=Sector.choices,
        help_text=_(
            "A public body's reports are allmänna handlingar: they are registered, kept readable and gallrade "
            "only under a decision."
        ),
    )
    accepts_anonymous = forms.BooleanField(label=_("Accept anonymous reports"), required=False)
    accepts_confidential = forms.BooleanField(
        label=_("Accept confidential reports, with the reporter's identity kept apart"), required=False
    )
    reporters_may_exclude = forms.BooleanField(
        label=_("Let reporters exclude a handler from their report (for a conflict of interest)"),
        required=False,
    )
    categories = CategoriesField(
        label=_("Categories"), help_text=_("One per line. The reporter chooses one.")
    )
    procedure = forms.CharField(
        label=_("Procedure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("How a report is received and followed up: shown on the channel's information page."),
    )
    external_channels = forms.CharField(
        label=_("External reporting channels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The authorities a person can report to instead, and how."),
    )
    oral_reporting = forms.CharField(
        label=_("How to report orally"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A telephone number and hours, and that a meeting can be asked for."),
    )
    employees_at_year_start = forms.IntegerField(
        label=_("Workers at the start of this year"),
        required=False,
        min_value=0,
        help_text=_(
            "Everyone employed, part-time, fixed-term and on leave included. With 50 or more the "
            "organisation must have an internal reporting channel."
        ),
    )
    gallringsbeslut_ref = forms.CharField(
        label=_("Gallring decision (reference)"),
        max_length=200,
        required=False,
        help_text=_("The decision under which closed cases may be destroyed, e.g. its diarienummer."),
    )
    gallringsfrist_days = forms.IntegerField(
        label=_("Days a closed case is kept before gallring"), required=False, min_value=1
    )
    reports_per_hour = forms.IntegerField(
        label=_("Reports accepted per hour"),
        min_value=1,
        max_value=10_000,
        help_text=_("Beyond this the channel asks reporters to try again later: a guard against floods."),
    )

    GROUPS = (
        (_("The channel"), ("name", "sector")),
        (
            _("Ways to report"),
            ("accepts_anonymous", "accepts_confidential", "reporters_may_exclude", "categories"),
        ),
        (_("The information page"), ("procedure", "external_channels", "oral_reporting")),
        (
            _("What the law asks of the organisation"),
            ("employees_at_year_start", "gallringsbeslut_ref", "gallringsfrist_days"),
        ),
        (_("Protection against floods"), ("reports_per_hour",)),
    )

    def __init__(self, *args, channel, **kwargs):
        initial = {name: getattr(channel, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)

    def groups(self) -> list[tuple[str, list]]:
        """The fields in fieldsets: (legend, bound fields)."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def changes(self, channel) -> dict:
        """The fields whose cleaned value differs from the channel's."""
        return {name: value for name, value in self.cleaned_data.items() if getattr(channel, name) != value}


# ------------------------------------------------------------------------------------ roles


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person"),
        required=False,
        max_length=100,
        help_text=_("Part of a name or an e-mail address narrows the list below."),
    )


class RoleGrantForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=None, empty_label=_("Choose a person"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    shown_name = forms.CharField(
        label=_("Name shown to reporters"),
        max_length=200,
        required=False,
        help_text=_(
            "Reporters see this name, e.g. when they may exclude a handler. Empty: the person's name."
        ),
    )
    external_provider = forms.CharField(
        label=_("External provider"),
        max_length=200,
        required=False,
        help_text=_(
            "An external provider, such as a law firm, can be a handler: give the firm's name here and as "
            "the name shown to reporters."
        ),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, prefix="grant", **kwargs)
        self.fields["person"].queryset = people


class RoleRevokeForm(forms.Form):
    role = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, prefix="revoke", **kwargs)
        self.fields["role"].queryset = roles


# ------------------------------------------------------------------------------------ the log


def case_number_clean(text: str) -> str | None:
    """'VB 2026-0001' (also 'vb 2026-1') as the log stores it; None for anything else."""
    found = CASE_NUMBER.match(text or "")
    if found is None:
        return None
    return f"VB {found.group(1)}-{int(found.group(2)):04d}"


class LogFilterForm(forms.Form):
    case = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=30,
        help_text=_("For example VB 2026-0001. Empty: every line of the log."),
    )

    def clean_case(self) -> str:
        text = self.cleaned_data["case"].strip()
        if not text:
            return ""
        number = case_number_clean(text)
        if number is None:
            raise forms.ValidationError(
                _("Write a case number as VB, the year, a dash and the number: VB 2026-0001.")
            )
        return number
