"""Forms of the trust pulse's pages: the anonymous answer (a code, then the questions), preparing a round,
sharing and releasing results, and the organisation's thresholds."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tillit.core.clock import today
from tillit.pulse import selectors
from tillit.pulse.enums import PulseState, Relation
from tillit.pulse.instrument import (
    BANK,
    BY_CODE,
    DEFAULT_ITEMS,
    DONT_KNOW,
    FREE_TEXT_QUESTION,
    MAX_ITEMS,
    SCALE_LABELS,
)
from tillit.pulse.services.answers import FREE_TEXT_MAX
from tillit.pulse.tokens import TOKEN_LENGTH, token_normalise

# --------------------------------------------------------------------------------------- the answer


class CodeInput(forms.TextInput):
    """The code field: no autocomplete, no spelling help, no capitals on phones."""

    def __init__(self):
        super().__init__(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
                "maxlength": 64,
            }
        )


class EmptyHiddenInput(forms.HiddenInput):
    """The hidden field the page's script fills from the link: never written back into a page."""

    def format_value(self, value):
        return None


class CodeForm(forms.Form):
    """Step 1: the code, typed (`code`) or moved from the link's fragment by the page's script (`token`).

    Valid when the code belongs to an open pulse and is unused; `cleaned_data` then holds the normalised
    `token` and the `pulse`. Every refusal lands on the code field, in words."""

    code = forms.CharField(
        label=_("Your code"),
        required=False,
        widget=CodeInput(),
        help_text=_("26 letters and digits, in groups of four, from your invitation e-mail: xxxx-xxxx-…"),
    )
    token = forms.CharField(required=False, widget=EmptyHiddenInput)

    def __init__(self, *args, refusal=None, **kwargs):
        """`refusal`: the answer's own refusal of the code (used or closed meanwhile), shown on the field."""
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def clean(self):
        cleaned = super().clean()
        if self.refusal:
            self.add_error("code", self.refusal)
            return cleaned
        raw = cleaned.get("token") or cleaned.get("code") or ""
        token = token_normalise(raw.rsplit("#", 1)[-1])  # the whole link pasted: its fragment is the code
        if not token:
            self.add_error("code", _("Type the code from your invitation e-mail."))
            return cleaned
        if len(token) < TOKEN_LENGTH:  # as `pulse_answer`: refused before any lookup
            self.add_error("code", _("The code is not complete: it has 26 letters and digits."))
            return cleaned
        invitation = selectors.invitation_for_token(token)
        if invitation is None:
            self.add_error("code", _("We do not recognise this code. Check the link in your e-mail."))
        elif invitation.pulse.state != PulseState.OPEN or invitation.pulse.closes_on < today():
            self.add_error(
                "code",
                gettext("The pulse closed on %(date)s; answers are no longer taken.")
                % {"date": date_format(invitation.pulse.closes_on, "j F Y")},
            )
        elif invitation.used:
            self.add_error("code", _("This code has already been used: each code answers once."))
        else:
            cleaned["token"] = token
            cleaned["pulse"] = invitation.pulse
        return cleaned


def scale_choices() -> list[tuple[int, str]]:
    """1–5 with their words, then "don't know" (0): in the active language."""
    choices = [(value, f"{value} – {SCALE_LABELS[value]}") for value in (1, 2, 3, 4, 5)]
    return [*choices, (DONT_KNOW, str(SCALE_LABELS[DONT_KNOW]))]


class AnswerForm(forms.Form):
    """Step 2: one radio group per question of the pulse (none required), the free text when the pulse asks
    it, and the token as a hidden field: it travels by POST only."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, pulse, **kwargs):
        super().__init__(*args, **kwargs)
        self.pulse = pulse
        choices = scale_choices()
        for code in pulse.items:
            item = BY_CODE.get(code)
            if item is None:
                continue
            self.fields[f"q_{code}"] = forms.TypedChoiceField(
                label=item.text(support_referent=pulse.support_referent),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Answer each question with 1–5 or “don't know”.")},
            )
        if pulse.asks_free_text:
            self.fields["free_text"] = forms.CharField(
                label=FREE_TEXT_QUESTION,
                required=False,
                max_length=FREE_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
            )

    def questions(self):
        """The bound radio groups in the pulse's order."""
        return [self[name] for name in self.fields if name.startswith("q_")]

    def answers(self) -> dict[str, int]:
        return {
            name.removeprefix("q_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q_") and value is not None
        }


# ------------------------------------------------------------------------------------ preparing a round


def _bank_in_relation_order():
    order = {relation: index for index, relation in enumerate(Relation)}
    return sorted(BANK, key=lambda item: order[Relation(item.relation)])


class PulseForm(forms.Form):
    """A draft round: its scope (when created), title, last day, questions from the bank, the support
    function asked about and whether it asks for free text."""

    scope = forms.TypedChoiceField(
        label=_("For which part of the chain"),
        coerce=int,
        help_text=_("Everyone in the unit and in the units below it is invited."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example “Tillitspuls hösten 2026”.")
    )
    closes_on = forms.DateField(
        label=_("Open until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day to answer. The results are published once, when the pulse closes."),
    )
    items = forms.MultipleChoiceField(
        label=_("Questions"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one question.")},
    )
    support_referent = forms.CharField(
        label=_("The support function the support questions are about"),
        max_length=100,
        required=False,
        help_text=_("For example HR-stödet. Empty: “the support function”."),
    )
    asks_free_text = forms.BooleanField(
        label=_("Also ask “What would increase trust?” as free text"),
        required=False,
        help_text=_(
            "Free-text answers are shown only after you have removed what could point at someone, and only "
            "when enough people answered the whole pulse."
        ),
    )

    def __init__(self, *args, scopes=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("items", list(DEFAULT_ITEMS))
        super().__init__(*args, **kwargs)
        self.bank = _bank_in_relation_order()
        self.fields["items"].choices = [(item.code, item.text()) for item in self.bank]
        self.fields["items"].help_text = gettext(
            "At most %(max)s. The default instrument is chosen from the start."
        ) % {"max": MAX_ITEMS}
        if scopes is None:
            del self.fields["scope"]
        else:
            top = min((unit.depth for unit in scopes), default=0)
            self.fields["scope"].choices = [
                (
                    unit.pk,
                    f"{'— ' * (unit.depth - top)}{unit.name}" + (f" ({unit.level})" if unit.level_id else ""),
                )
                for unit in scopes
            ]

    def item_groups(self):
        """The bank's checkboxes per relation: [(relation label, [(checkbox, item), …]), …]."""
        boxes = {str(box.data["value"]): box for box in self["items"]}
        groups = []
        for relation in Relation:
            rows = [(boxes[item.code], item) for item in self.bank if item.relation == relation]
            if rows:
                groups.append((relation.label, rows))
        return groups


class SettingsForm(forms.Form):
    min_group_size = forms.IntegerField(
        label=_("Smallest group whose answers are shown"),
        help_text=_("At least 5. A higher number suits small organisations (7 is common)."),
    )
    min_free_text_group_size = forms.IntegerField(
        label=_("Smallest number of answers to the whole pulse before free text is shown"),
        help_text=_(
            "At least 10, and never below the threshold above: words identify more easily than numbers."
        ),
    )


# -------------------------------------------------------------------------------------- after closing


class ShareForm(forms.Form):
    shared = forms.BooleanField(required=False)


class ReleaseForm(forms.Form):
    redacted = forms.CharField(
        label=_("The answer as it may be shown"),
        required=False,
        max_length=FREE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Remove names, places, dates and anything else that could point at a person."),
    )
