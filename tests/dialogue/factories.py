from tillit.chain.access import Access
from tillit.dialogue import services
from tillit.dialogue.enums import LookState
from tillit.dialogue.models import JointLook


def look_targets(*, unit, person) -> dict:
    """For the isolation test: an open joint look of `unit` (the demo's, or one opened by hand)."""
    look = JointLook.objects.filter(unit=unit, state=LookState.OPEN).order_by("pk").first()
    if look is None:
        look = services.joint_look_open(
            actor=person, access=Access.system(), unit=unit, subject="Hur går det?"
        )
    return {"look_id": look.pk}
