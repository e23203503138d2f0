"""The delegation register (delegationsordning): who may decide what, under which law.

A register belongs to one nämnd (a unit high in the chain). It is versioned: every import or revision
makes a new `RegisterVersion`, and only the version in force answers "vem kan besluta om …?". Entries
name a delegate function (enhetschef, socialsekreterare), never a person: `role` links the function to
the organisation's role when the names match, which is how the people holding it are found.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DelegationRegister(models.Model):
    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "chain.Unit", on_delete=models.PROTECT, related_name="delegation_registers", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delegation register")
        verbose_name_plural = _("delegation registers")
        ordering = ["organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["unit"], name="delegation_register_one_per_unit")]

    def __str__(self) -> str:
        return self.name


class RegisterVersion(models.Model):
    """One adopted version of a register. The newest with `in_force` answers questions."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    register = models.ForeignKey(DelegationRegister, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    decision = models.CharField(_("decision reference"), max_length=200, blank=True)
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    in_force = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("register version")
        verbose_name_plural = _("register versions")
        ordering = ["register", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="register_version_number_unique"),
            models.UniqueConstraint(
                fields=["register"], condition=models.Q(in_force=True), name="register_version_one_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register} v{self.number}"


class DelegationEntry(models.Model):
    """One matter in a version: who decides it, under which law, how it is reported back."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(RegisterVersion, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField(default=0)
    code = models.CharField(_("number"), max_length=30, blank=True)
    matter_group = models.CharField(_("group of matters"), max_length=200)
    matter = models.TextField(_("matter"))
    delegate = models.CharField(_("delegate"), max_length=200)
    role = models.ForeignKey(
        "chain.Role",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("role"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    redelegation_allowed = models.BooleanField(_("may be delegated further"), default=False)
    reporting = models.CharField(_("reported to the board"), max_length=300, blank=True)
    substitute = models.CharField(_("substitute"), max_length=200, blank=True)
    note = models.TextField(_("conditions and notes"), blank=True)

    class Meta:
        verbose_name = _("delegation entry")
        verbose_name_plural = _("delegation entries")
        ordering = ["version", "position"]
        indexes = [models.Index(fields=["organisation", "version"], name="delegation_entry_org_version")]

    def __str__(self) -> str:
        return f"{self.code} {self.matter}".strip()


class RegisterImport(models.Model):
    """An uploaded register file, kept between its preview and its adoption so that exactly what was
    previewed is adopted. The content is re-read and re-checked when applied."""

    organisation = models.ForeignKey("chain.Organisation", on_delete=models.CASCADE, related_name="+")
    register = models.ForeignKey(DelegationRegister, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    # The version the file adopted; empty when applying found it equal to the version in force.
    version = models.ForeignKey(
        RegisterVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class DelegationEntrySearch(models.Model):
    """SQLite only: an entry's text stemmed for full-text search (snowballstemmer's Swedish stemmer, which
    SQLite lacks). It is the content of the FTS5 table `delegation_entry_fts`, which triggers keep in step
    with this table (migration 0003), so every way rows arrive or go (the services, a restore, a flush)
    keeps the index right. Empty on PostgreSQL, which indexes the entries themselves."""

    entry = models.OneToOneField(
        DelegationEntry, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    matter = models.TextField(blank=True)
    other = models.TextField(blank=True)  # group, delegate, legal basis, reporting, substitute, notes

    class Meta:
        verbose_name = _("delegation entry search text")
        verbose_name_plural = _("delegation entry search texts")

    def __str__(self) -> str:
        return self.matter
