"""Stage 3: every access decision, made once from the typed schema and the API's settings
(README.md says which module answers which question). Cannot fail on a validated
schema."""

from .acm import AccessControlMatrix, AcmOperation, AcmRow, render_tables
from .plan import AuthPlan, ModelPlan, plan_schema
from .roles import Role, role_of, roles_of

__all__ = [
    "AccessControlMatrix",
    "AcmOperation",
    "AcmRow",
    "AuthPlan",
    "ModelPlan",
    "Role",
    "plan_schema",
    "render_tables",
    "role_of",
    "roles_of",
]
