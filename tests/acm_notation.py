"""A compact notation for expected access-control matrices in tests.

``{"userPools:owner:owner": {"title": "crud", "content": "-r--"}}``: each field maps to
four letters for create/read/update/delete, ``-`` where the role is denied.
"""

from __future__ import annotations

from authorized_appsync import ApiDefinition
from authorized_appsync.authz import AcmOperation, plan_schema

LETTERS = {
    AcmOperation.CREATE: "c",
    AcmOperation.READ: "r",
    AcmOperation.UPDATE: "u",
    AcmOperation.DELETE: "d",
}


def matrix(
    definition: ApiDefinition, type_name: str, *, sandbox: bool = False, implicit: bool = False
) -> dict[str, dict[str, str]]:
    plan = plan_schema(definition.schema, sandbox=sandbox)
    table = plan.acm.for_type(type_name)
    fields = table.fields + (table.implicit_fields if implicit else ())
    return {
        role.name: {
            field: "".join(
                letter if table.is_allowed(role, field, op) else "-"
                for op, letter in LETTERS.items()
            )
            for field in fields
        }
        for role in table.roles
    }


def sdl_matrix(sdl: str, type_name: str, **options: bool) -> dict[str, dict[str, str]]:
    return matrix(ApiDefinition.from_string(sdl, "seed.graphql"), type_name, **options)
