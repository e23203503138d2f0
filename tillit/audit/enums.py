from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    ORGANISATION_CREATED = "organisation.created", _("Organisation created")
    LEVEL_CREATED = "level.created", _("Level created")
    LEVEL_RENAMED = "level.renamed", _("Level renamed")
    ROLE_CREATED = "role.created", _("Role created")
    UNIT_CREATED = "unit.created", _("Unit created")
    UNIT_RENAMED = "unit.renamed", _("Unit renamed")
    UNIT_MOVED = "unit.moved", _("Unit moved")
    UNIT_CLOSED = "unit.closed", _("Unit closed")
    PERSON_INVITED = "person.invited", _("Person invited")
    INVITATION_ACCEPTED = "person.invitation_accepted", _("Invitation accepted")
    MEMBERSHIP_CREATED = "membership.created", _("Role assigned")
    MEMBERSHIP_ENDED = "membership.ended", _("Role ended")
    PURPOSE_WRITTEN = "purpose.written", _("Purpose written")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    AGREEMENT_DRAFTED = "agreement.drafted", _("Agreement version drafted")
    AGREEMENT_UPDATED = "agreement.updated", _("Agreement draft changed")
    AGREEMENT_PROPOSED = "agreement.proposed", _("Agreement proposed")
    AGREEMENT_COMMENTED = "agreement.commented", _("Agreement commented on")
    AGREEMENT_SIGNED = "agreement.signed", _("Agreement signed by one side")
    AGREEMENT_IN_FORCE = "agreement.in_force", _("Agreement in force")
    BOUNDARY_REPORTED = "boundary.reported", _("Boundary crossing reported")
