"""Words for joint looks: the curious prompts and why follow-up opened a look."""

from django.utils.translation import gettext_lazy as _

# The questions a joint look starts from. Curiosity, not control: never "explain the deviation".
PROMPTS = {
    "what_happened": _("What has happened?"),
    "what_we_see": _("What do we see in the variation?"),
    "what_you_need": _("What do you need?"),
    "what_we_learn": _("What can we learn, and try?"),
}

REASONS = {
    "boundary_crossed": _("The latest value crossed an agreed boundary"),
    "hit_or_miss": _("Hit or miss: the boundary lies between the process limits"),
    "outside": _("The process limits lie beyond the agreed boundary: reliably outside"),
    "special_cause": _("A signal of concern: something special has happened"),
    "boundary_report": _("A qualitative boundary was reported as crossed"),
}


def reason_labels(codes) -> list[str]:
    return [str(REASONS[code]) for code in codes if code in REASONS]


def prompt_label(code: str) -> str:
    return str(PROMPTS[code]) if code in PROMPTS else ""
