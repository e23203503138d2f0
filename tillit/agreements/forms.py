from django import forms
from django.utils.translation import gettext_lazy as _


class PurposeForm(forms.Form):
    statement = forms.CharField(
        label=_("What is the work for?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In your own words: the difference the unit makes. Not a target, not a number."),
    )
    serves = forms.CharField(
        label=_("Whom do we serve?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The people the work is for, e.g. older people living at home and their relatives."),
    )
    valued = forms.CharField(
        label=_("What do they value?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What matters to them, in their words, e.g. the same faces, being on time, being listened to."
        ),
    )
