"""The steering chain (styrkedja): organisations, their unit trees, roles and memberships."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A tenant: one municipality, region or agency. Nothing crosses this line."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    """A configurable name for a kind of unit in the chain (nämnd, förvaltning, avdelning, enhet, ...)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("0 is the top of the chain; larger numbers are further down.")
    )

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["organisation", "rank", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="level_name_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A node in an organisation's steering chain, from council to team.

    `path` is a materialised path of ids ("/1/4/17/"): descendants are one indexed prefix query and
    ancestors are read from the path itself, on SQLite and PostgreSQL alike.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="units", verbose_name=_("level"))
    name = models.CharField(_("name"), max_length=200)
    path = models.CharField(max_length=1000, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [models.Index(fields=["organisation", "path"], name="unit_org_path")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chain:unit-detail", kwargs={"unit_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]


class UnitPathCopy(models.Model):
    """A row about a unit that keeps a copy of the unit's path, so that a sub-tree's rows are one indexed
    prefix filter without a join. `unit_move` rewrites the copies of every model built on this one in its
    own transaction; a test checks that every model with a `unit_path` field is built on it."""

    unit_path = models.CharField(max_length=1000)

    class Meta:
        abstract = True

    @staticmethod
    def models() -> list[type["UnitPathCopy"]]:
        return [model for model in apps.get_models() if issubclass(model, UnitPathCopy)]


class Role(models.Model):
    """A named role with capabilities. Reading along one's own chain needs no capability."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    can_write = models.BooleanField(_("write in own unit"), default=False)
    can_manage = models.BooleanField(_("manage unit and its sub-units"), default=False)
    can_administer = models.BooleanField(_("administer the organisation"), default=False)
    can_audit = models.BooleanField(_("audit the whole organisation"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="role_name_unique_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def capability_codes(self) -> list[str]:
        codes = ["read"]
        codes += [code for code in ("write", "manage", "administer", "audit") if getattr(self, f"can_{code}")]
        return codes


class Membership(models.Model):
    """A person's role in one unit. Ended memberships are kept: the chain's history stays readable."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    title = models.CharField(_("title"), max_length=150, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__path", "role__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="membership_active_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role} ({self.unit})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
