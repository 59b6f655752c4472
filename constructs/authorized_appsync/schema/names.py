"""Names of the generated GraphQL, exactly as Amplify's transformer v2 spells them.

Existing Amplify frontends (``graphql/queries.ts``, ``API.ts``, the Gen 2 data client)
call these names, so they are a compatibility contract: ``getPost``, ``listPosts``,
``createPost(input: CreatePostInput!, condition: ModelPostConditionInput)``,
``onCreatePost``, ``ModelPostConnection``, ``ModelPostFilterInput`` ...

The plural is the one Amplify's transformer v2 gives list queries and ``@index`` queries
(``plurals.py``: npm ``pluralize`` of the whole type name), so ``Category`` lists as
``listCategories``, ``Person`` as ``listPeople`` and the already plural ``PostTags`` as
``listPostTags``.

Subscription names longer than 50 characters are cut as Amplify cuts them: the first 45
characters and the first 5 hex digits of the full name's md5.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from types import MappingProxyType
from typing import Final

from .plurals import plural

__all__ = [
    "ATTRIBUTE_TYPES_ENUM",
    "DELETED_FIELD",
    "DELTA_SYNC_ATTRIBUTE",
    "DELTA_SYNC_INDEX",
    "FILTER_SCALARS",
    "LAST_CHANGED_FIELD",
    "SIZE_INPUT",
    "SORT_DIRECTION_ENUM",
    "TTL_ATTRIBUTE",
    "VERSION_FIELD",
    "composite_key_argument",
    "composite_key_condition_input",
    "composite_key_input",
    "condition_input",
    "connection_type",
    "create_field",
    "create_input",
    "delete_field",
    "delete_input",
    "enum_filter_input",
    "enum_list_filter_input",
    "filter_input",
    "filter_scalar",
    "get_field",
    "index_name",
    "key_condition_input",
    "list_field",
    "non_model_input",
    "on_create_field",
    "on_delete_field",
    "on_update_field",
    "plural",
    "scalar_filter_input",
    "subscription_filter_input",
    "subscription_scalar_filter_input",
    "sync_field",
    "update_field",
    "update_input",
]

SORT_DIRECTION_ENUM: Final = "ModelSortDirection"
ATTRIBUTE_TYPES_ENUM: Final = "ModelAttributeTypes"
SIZE_INPUT: Final = "ModelSizeInput"

# The filter scalar each scalar is filtered as (Amplify's DEFAULT_SCALARS): the AWS
# scalars are strings, except AWSTimestamp, a number.
FILTER_SCALARS: Final = MappingProxyType(
    {
        "String": "String",
        "ID": "ID",
        "Int": "Int",
        "Float": "Float",
        "Boolean": "Boolean",
        "AWSDate": "String",
        "AWSTime": "String",
        "AWSDateTime": "String",
        "AWSTimestamp": "Int",
        "AWSEmail": "String",
        "AWSJSON": "String",
        "AWSURL": "String",
        "AWSPhone": "String",
        "AWSIPAddress": "String",
    }
)


def _upper(name: str) -> str:
    return name[:1].upper() + name[1:]


def index_name(model: str, field: str, sort_keys: Sequence[str], given: object) -> str:
    """An ``@index``'s name: the one given, else Amplify's default, the model's plural with
    a lower first letter, ``By`` and the key fields joined by ``And``:
    ``@index(sortKeyFields: ["level"])`` on ``Employee.manager`` is
    ``employeesByManagerAndLevel``."""
    if isinstance(given, str):
        return given
    stem = plural(model)
    keys = "And".join(_upper(k) for k in (field, *sort_keys))
    return f"{stem[:1].lower()}{stem[1:]}By{keys}"


# Amplify's transformer cuts longer subscription names to this many characters ...
_SUBSCRIPTION_NAME_LIMIT: Final = 50
# ... keeping this many of the full name and filling up with its md5 (hex digits).
_SUBSCRIPTION_NAME_KEPT: Final = 45


def _subscription_name(name: str) -> str:
    """``onCreate<M>`` as Amplify names it: cut to 50 characters when longer, 45 of the
    name and 5 of its md5, so two long names that share a start stay apart."""
    if len(name) <= _SUBSCRIPTION_NAME_LIMIT:
        return name
    digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
    return (
        name[:_SUBSCRIPTION_NAME_KEPT]
        + digest[: _SUBSCRIPTION_NAME_LIMIT - _SUBSCRIPTION_NAME_KEPT]
    )


def filter_scalar(type_name: str) -> str:
    """The scalar a field of ``type_name`` is filtered as (enums as ``String``)."""
    return FILTER_SCALARS.get(type_name, "String")


# Query, mutation and subscription fields.


def get_field(model: str) -> str:
    return f"get{_upper(model)}"


def list_field(model: str) -> str:
    return f"list{_upper(plural(model))}"


# The fields a versioned model (conflict resolution) gains, as Amplify names them, and the
# attribute its tombstones expire by (the table's TTL attribute).
VERSION_FIELD = "_version"
DELETED_FIELD = "_deleted"
LAST_CHANGED_FIELD = "_lastChangedAt"
TTL_ATTRIBUTE = "_ttl"
# A versioned model's delta-sync index (``codegen/tables.py``, ``resolvers/lib/versions.js``),
# keyed on an attribute every write sets to the model's name (GraphQL names cannot start with
# ``__``) and on ``_lastChangedAt``. A user ``@index`` of that name is refused.
DELTA_SYNC_INDEX = "_deltaSync"
DELTA_SYNC_ATTRIBUTE = "__deltaSync"


def sync_field(model: str) -> str:
    """The delta-sync query of a versioned model (``syncPeople``), named as Amplify does."""
    return f"sync{_upper(plural(model))}"


def create_field(model: str) -> str:
    return f"create{_upper(model)}"


def update_field(model: str) -> str:
    return f"update{_upper(model)}"


def delete_field(model: str) -> str:
    return f"delete{_upper(model)}"


def on_create_field(model: str) -> str:
    return _subscription_name(f"onCreate{_upper(model)}")


def on_update_field(model: str) -> str:
    return _subscription_name(f"onUpdate{_upper(model)}")


def on_delete_field(model: str) -> str:
    return _subscription_name(f"onDelete{_upper(model)}")


# Per-model types and inputs.


def connection_type(model: str) -> str:
    return f"Model{_upper(model)}Connection"


def filter_input(model: str) -> str:
    return f"Model{_upper(model)}FilterInput"


def condition_input(model: str) -> str:
    return f"Model{_upper(model)}ConditionInput"


def subscription_filter_input(model: str) -> str:
    return f"ModelSubscription{_upper(model)}FilterInput"


def create_input(model: str) -> str:
    return f"Create{_upper(model)}Input"


def update_input(model: str) -> str:
    return f"Update{_upper(model)}Input"


def delete_input(model: str) -> str:
    return f"Delete{_upper(model)}Input"


def non_model_input(type_name: str) -> str:
    """The input a non-model type takes in create/update inputs: ``Address`` -> ``AddressInput``."""
    return f"{_upper(type_name)}Input"


# Shared filter inputs.


def scalar_filter_input(type_name: str) -> str:
    """``ModelStringInput``, ``ModelIDInput``, ``ModelIntInput`` ... (AWS scalars mapped)."""
    return f"Model{filter_scalar(type_name)}Input"


def subscription_scalar_filter_input(type_name: str) -> str:
    """``ModelSubscriptionStringInput`` ... (enums are filtered as strings)."""
    return f"ModelSubscription{filter_scalar(type_name)}Input"


def enum_filter_input(enum: str) -> str:
    """``ModelStatusInput`` for a field of enum ``Status``."""
    return f"Model{enum}Input"


def enum_list_filter_input(enum: str) -> str:
    """``ModelStatusListInput`` for a field of type ``[Status]``."""
    return f"Model{enum}ListInput"


# Sort-key conditions of primary keys and @index queries.


def key_condition_input(type_name: str) -> str:
    """``ModelStringKeyConditionInput`` ... for a single sort key (enums as strings)."""
    return f"Model{filter_scalar(type_name)}KeyConditionInput"


def _key_name(index_name: str | None) -> str:
    return _upper(index_name) if index_name else "Primary"


def composite_key_condition_input(model: str, index_name: str | None) -> str:
    """``ModelPostByStatusCompositeKeyConditionInput``; the primary key's is ``...Primary...``."""
    return f"Model{model}{_key_name(index_name)}CompositeKeyConditionInput"


def composite_key_input(model: str, index_name: str | None) -> str:
    return f"Model{model}{_key_name(index_name)}CompositeKeyInput"


def composite_key_argument(sort_key_fields: Sequence[str]) -> str:
    """The argument of a composite sort key: ``["status", "createdAt"]`` -> ``statusCreatedAt``."""
    return "".join(
        (name[:1].lower() if i == 0 else name[:1].upper()) + name[1:]
        for i, name in enumerate(sort_key_fields)
    )
