"""Words for joint looks: the curious prompts. Why a look was opened: `tillit.followup.reasons`."""

from django.utils.translation import gettext_lazy as _

# The questions a joint look starts from. Curiosity, not control: never "explain the deviation".
PROMPTS = {
    "what_happened": _("What has happened?"),
    "what_we_see": _("What do we see in the variation?"),
    "what_you_need": _("What do you need?"),
    "what_we_learn": _("What can we learn, and try?"),
}


def prompt_label(code: str) -> str:
    return str(PROMPTS[code]) if code in PROMPTS else ""
