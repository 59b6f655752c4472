"""What the schema language allows, as data: directives, rule arguments, strategies,
providers and their compatibility, operations, scalars.

Validation reads these tables to say what is allowed; the builder reads them to fill
defaults. Differences between strategies and providers live here, not in ``if`` chains.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from ..appsync import AWS_SCALARS
from .model import READ_OPERATIONS, Operation, Provider, Strategy

# Provider names as written in a rule. ``identityPool`` is the CDK construct's name for ``iam``.
PROVIDER_NAMES: Final = MappingProxyType(
    {
        "apiKey": Provider.API_KEY,
        "iam": Provider.IAM,
        "identityPool": Provider.IAM,
        "userPools": Provider.USER_POOLS,
        "oidc": Provider.OIDC,
        "function": Provider.FUNCTION,
    }
)

STRATEGY_NAMES: Final = MappingProxyType({s.value: s for s in Strategy})

# The providers each strategy accepts, the first being its default.
STRATEGY_PROVIDERS: Final = MappingProxyType(
    {
        Strategy.PUBLIC: (Provider.API_KEY, Provider.IAM),
        Strategy.PRIVATE: (Provider.USER_POOLS, Provider.OIDC, Provider.IAM),
        Strategy.OWNER: (Provider.USER_POOLS, Provider.OIDC),
        Strategy.GROUPS: (Provider.USER_POOLS, Provider.OIDC),
        Strategy.CUSTOM: (Provider.FUNCTION,),
    }
)

# Operation names as written: atomic operations plus the ``read`` shorthand.
OPERATION_NAMES: Final = MappingProxyType(
    {
        **{op.value: frozenset({op}) for op in Operation},
        "read": READ_OPERATIONS,
    }
)
# At field level only these four may be named (seed 003: get/list/... are model-level).
FIELD_OPERATION_NAMES: Final = ("create", "read", "update", "delete")

RULE_ARGUMENTS: Final = (
    "allow",
    "provider",
    "ownerField",
    "identityClaim",
    "groupClaim",
    "groups",
    "groupsField",
    "operations",
)
# Arguments of transformer v1 that v2 dropped; named so the error can say what replaced them.
LEGACY_RULE_ARGUMENTS: Final = MappingProxyType(
    {
        "queries": "operations",
        "mutations": "operations",
    }
)

# Which strategies may carry which strategy-specific argument.
ARGUMENT_STRATEGIES: Final = MappingProxyType(
    {
        "ownerField": (Strategy.OWNER,),
        "identityClaim": (Strategy.OWNER,),
        "groupClaim": (Strategy.GROUPS,),
        "groups": (Strategy.GROUPS,),
        "groupsField": (Strategy.GROUPS,),
    }
)

# Directives this project understands, where they go, and their arguments.
TYPE_DIRECTIVES: Final = MappingProxyType(
    {
        "model": ("queries", "mutations", "subscriptions", "timestamps"),
        "auth": ("rules",),
    }
)
FIELD_DIRECTIVES: Final = MappingProxyType(
    {
        "auth": ("rules",),
        "primaryKey": ("sortKeyFields",),
        "index": ("name", "sortKeyFields", "queryField"),
        "hasOne": ("fields", "references"),
        "hasMany": ("indexName", "fields", "references", "limit"),
        "belongsTo": ("fields", "references"),
        "manyToMany": ("relationName", "limit"),
        "default": ("value",),
    }
)
RELATION_DIRECTIVES: Final = ("hasOne", "hasMany", "belongsTo", "manyToMany")
# Directives of Amplify's GraphQL transformer v1 that v2 replaced or dropped (Amplify docs,
# "GraphQL Transformer v1 to v2 migration"); validation answers each with its v2 form.
TRANSFORMER_V1_DIRECTIVES: Final = ("key", "connection", "versioned")
# Amplify (transformer v2) directives this project does not implement, with what they do,
# so the error can say so rather than call them unknown.
UNSUPPORTED_AMPLIFY_DIRECTIVES: Final = MappingProxyType(
    {
        "searchable": "search queries backed by an OpenSearch domain",
        "function": "a Lambda function as a field's resolver",
        "http": "an HTTP endpoint as a field's resolver",
        "predictions": "AI/ML queries (text and labels in images, translation, speech)",
        "sql": "SQL statements as queries on a relational database",
        "refersTo": "a model or field mapped to another table or column name",
        "mapsTo": "a renamed model kept on its original table",
        "conversation": "AI conversation routes",
        "generation": "AI generation routes",
    }
)
# AppSync's own directives may appear in a user's schema and are passed through.
APPSYNC_DIRECTIVES: Final = (
    "aws_api_key",
    "aws_iam",
    "aws_oidc",
    "aws_lambda",
    "aws_cognito_user_pools",
    "aws_auth",
    "aws_subscribe",
)

BUILTIN_SCALARS: Final = ("ID", "String", "Int", "Float", "Boolean")
SCALARS: Final = BUILTIN_SCALARS + AWS_SCALARS
# Scalars a key (primary key, index key, sort key) may have.
KEY_SCALARS: Final = (
    "ID",
    "String",
    "Int",
    "Float",
    "AWSDateTime",
    "AWSDate",
    "AWSTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
)

# ``input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }``: the sandbox rule.
GLOBAL_RULE_INPUT: Final = "AMPLIFY"
GLOBAL_RULE_FIELD: Final = "globalAuthRule"
