"""Writes of the agreements room, along its seams:

- `inputs`: the limits, `BoundaryInput`, `PromiseInput`, `KEEP` and the cleaning of what is given;
- `purpose`: a unit's purpose, version by version;
- `versions`: a trust agreement's versions (draft, change, propose, comment, sign);
- `reports`: reports that a qualitative boundary was crossed.

Who may do what is `tillit.agreements.rules`; reads are `tillit.agreements.selectors`. The names below
are re-exported so that callers write `services.agreement_sign(...)`.
"""

from tillit.agreements.services.inputs import KEEP, BoundaryInput, PromiseInput
from tillit.agreements.services.purpose import purpose_write
from tillit.agreements.services.reports import boundary_report_create
from tillit.agreements.services.versions import (
    agreement_comment,
    agreement_draft,
    agreement_propose,
    agreement_sign,
    agreement_version_update,
)

__all__ = [
    "KEEP",
    "BoundaryInput",
    "PromiseInput",
    "agreement_comment",
    "agreement_draft",
    "agreement_propose",
    "agreement_sign",
    "agreement_version_update",
    "boundary_report_create",
    "purpose_write",
]
