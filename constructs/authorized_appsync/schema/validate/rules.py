"""The validation rules, in the order they run. Each is one module's ``check``."""

from __future__ import annotations

from . import (
    auth_directive_arguments,
    auth_placement,
    auth_rule_arguments,
    auth_rule_value_types,
    default_values,
    directive_argument_types,
    directive_placement,
    global_auth_rule,
    groups_rule_shape,
    index_definitions,
    known_directives,
    known_extended_types,
    known_field_types,
    known_operations,
    known_strategy_and_provider,
    many_to_many_relations,
    model_operation_names,
    owner_and_groups_field_types,
    owner_field_not_primary_key,
    primary_key_fields,
    relation_fields,
    relation_index_names,
    relation_key_arity,
    relation_targets,
    strategy_specific_arguments,
    transformer_v1_directives,
    unique_auth_rules,
    unique_directives,
    unique_field_names,
    unique_operations,
    unique_query_fields,
    unique_type_names,
)
from .context import Check

RULES: tuple[Check, ...] = (
    # types and fields
    unique_type_names.check,
    known_extended_types.check,
    unique_field_names.check,
    known_field_types.check,
    # directives in general
    known_directives.check,
    transformer_v1_directives.check,
    directive_placement.check,
    unique_directives.check,
    directive_argument_types.check,
    model_operation_names.check,
    # keys and indexes
    primary_key_fields.check,
    index_definitions.check,
    unique_query_fields.check,
    # relations
    relation_targets.check,
    relation_fields.check,
    relation_index_names.check,
    relation_key_arity.check,
    many_to_many_relations.check,
    default_values.check,
    # @auth
    auth_directive_arguments.check,
    auth_rule_arguments.check,
    auth_rule_value_types.check,
    known_strategy_and_provider.check,
    strategy_specific_arguments.check,
    groups_rule_shape.check,
    known_operations.check,
    unique_operations.check,
    auth_placement.check,
    owner_and_groups_field_types.check,
    owner_field_not_primary_key.check,
    unique_auth_rules.check,
    global_auth_rule.check,
)
