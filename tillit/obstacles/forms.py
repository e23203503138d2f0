from django import forms
from django.utils.translation import gettext_lazy as _

FEW_MEMBERS = 3  # below this, raising "as a member of the unit" is said not to hide much
UNKNOWN = "unknown"  # the decision radio "Vet inte"; the decisions themselves are read by the view


class ObstacleForm(forms.Form):
    title = forms.CharField(
        label=_("What is in the way?"),
        max_length=300,
        help_text=_("What keeps you from doing the work for the people you serve?"),
    )
    affects = forms.CharField(
        label=_("Who is affected?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the citizens you meet, their relatives, or your colleagues."),
    )
    proposal = forms.CharField(
        label=_("What do you propose?"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    identity = forms.ChoiceField(
        label=_("How is it raised?"),
        widget=forms.RadioSelect,
        choices=[],
        initial="member",
    )

    def __init__(self, *args, unit, members: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None and members < FEW_MEMBERS:
            # In a unit of one or two people, "a member of the unit" all but names the person.
            self.fields["identity"].help_text = _(
                "%(unit)s is a small unit: the others may guess who raised it."
            ) % {"unit": unit.name}
        self.fields["identity"].choices = [
            ("member", _("As a member of %(unit)s (your name is not shown)") % {"unit": unit.name}),
            ("name", _("In my own name")),
        ]


class AnswerForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("acknowledge", "start", "remove", "decline", "pass_up", "escalate")]
    )
    text = forms.CharField(required=False, max_length=4000)
