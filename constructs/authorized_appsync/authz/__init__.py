"""Stage 3: authorization planning. From the typed schema, which rules apply to each
model operation and field, and the access-control matrix (role x field x operation)
that the generators and the CLI read. Cannot fail on a validated schema."""

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
