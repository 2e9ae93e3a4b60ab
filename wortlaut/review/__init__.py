"""Review: reviewer accounts and their corrections, applied on top of the machine's output."""

from .accounts import ROLES, AccountError, check_name, check_role, hash_password, verify_password
from .corrections import (
    ACTIONS,
    CONFIRMED,
    CORRECTED,
    REJECTED,
    UNREVIEWED,
    Anchor,
    Correction,
    CorrectionError,
    Reviewed,
    apply_corrections,
)

__all__ = [
    "ACTIONS",
    "CONFIRMED",
    "CORRECTED",
    "REJECTED",
    "ROLES",
    "UNREVIEWED",
    "AccountError",
    "Anchor",
    "Correction",
    "CorrectionError",
    "Reviewed",
    "apply_corrections",
    "check_name",
    "check_role",
    "hash_password",
    "verify_password",
]
