"""The attack catalogue: every attack the security review asked to see fail, and the tests
that make it fail. Each attack (a ``- `` line) is followed by the node ids of its tests;
``[prefix...]`` stands for the parameter ids that start with ``prefix``. The test below
checks that every listed test exists, so the catalogue cannot rot; docs/security.md
("What is verified where") points here.

JWTs
- alg: none
    tests/local/test_identity_jwt.py::test_user_pool_tokens_rejected[alg none...]
    tests/local/test_identity_jwt.py::test_oidc_tokens_rejected[alg none...]
    tests/lambda_authorizer/test_lambda_authorizer.py::test_rs_denials[alg-none]
    tests/lambda_authorizer/test_lambda_authorizer.py::test_hs_denials[alg-none]
- signed with the wrong key (and algorithm confusion)
    tests/local/test_identity_jwt.py::test_user_pool_tokens_rejected[signed by another key...]
    tests/local/test_identity_jwt.py::test_user_pool_tokens_rejected[HS256 keyed with...]
    tests/local/test_identity_jwt.py::test_oidc_tokens_rejected[signed by another key...]
    tests/lambda_authorizer/test_lambda_authorizer.py::test_rs_denials[wrong-key]
    tests/lambda_authorizer/test_lambda_authorizer.py::test_hs_denials[wrong-secret]
    tests/local/test_local_http.py::test_a_forged_token_is_refused
    tests/local/test_serve_security.py::test_finding_9_a_token_signed_with_motos_published_key_is_refused
- expired
    tests/local/test_identity_jwt.py::test_user_pool_tokens_rejected[expired...]
    tests/local/test_identity_jwt.py::test_oidc_tokens_rejected[expired...]
    tests/lambda_authorizer/test_lambda_authorizer.py::test_rs_denials[expired]
- not yet valid
    tests/local/test_identity_jwt.py::test_oidc_tokens_rejected[not yet valid...]
    tests/lambda_authorizer/test_lambda_authorizer.py::test_rs_denials[not-yet-valid]
    tests/lambda_authorizer/test_lambda_authorizer.py::test_rs_denials[iat-future]
- wrong issuer
    tests/local/test_identity_jwt.py::test_user_pool_tokens_rejected[another pool...]
    tests/local/test_identity_jwt.py::test_oidc_tokens_rejected[another issuer...]
    tests/lambda_authorizer/test_lambda_authorizer.py::test_rs_denials[wrong-issuer]
    tests/local/test_local_default_authorizer.py::test_finding_12_other_tokens_signed_by_the_same_keys_are_refused[issuer]
- wrong audience
    tests/local/test_identity_jwt.py::test_user_pool_tokens_rejected[wrong app client...]
    tests/local/test_identity_jwt.py::test_oidc_tokens_rejected[wrong audience...]
    tests/lambda_authorizer/test_lambda_authorizer.py::test_rs_denials[wrong-aud-string]
    tests/local/test_local_default_authorizer.py::test_finding_12_other_tokens_signed_by_the_same_keys_are_refused[another-client]
- an access token where an ID token is expected (and refresh tokens)
    tests/lambda_authorizer/test_lambda_authorizer.py::test_finding_12_only_id_tokens_are_accepted_by_default
    tests/local/test_local_default_authorizer.py::test_finding_12_other_tokens_signed_by_the_same_keys_are_refused[access-token]
    tests/local/test_identity_jwt.py::test_user_pool_tokens_rejected[access token of a wrong...]
    tests/local/test_identity_jwt.py::test_user_pool_tokens_rejected[token_use refresh...]
- claims altered after signing
    tests/local/test_identity_jwt.py::test_user_pool_tokens_rejected[tampered claims...]
    tests/local/test_identity_jwt.py::test_oidc_tokens_rejected[tampered claims...]
    tests/lambda_authorizer/test_lambda_authorizer.py::test_rs_denials[tampered-payload]

API keys
- unknown key
    tests/local/test_identity_select.py::test_api_keys[da2-unknown...]
    tests/local/test_local_http.py::test_bad_credentials_are_refused_before_execution
- expired key
    tests/local/test_identity_select.py::test_api_keys[da2-abcdefghijklmnopqrstuvwxyz-1750086400...]
- another API's key
    tests/local/test_local_attacks.py::test_attack_api_key_of_another_api_is_refused

SigV4
- bad signature
    tests/local/test_identity_sigv4.py::test_bad_signature
    tests/local/test_local_subscriptions_ws.py::test_a_forged_signature_gets_a_connection_error
- wrong service or region
    tests/local/test_identity_sigv4.py::test_malformed_scope_or_headers[another service...]
    tests/local/test_identity_sigv4.py::test_malformed_scope_or_headers[another region...]
- stale date
    tests/local/test_identity_sigv4.py::test_clock_skew
- admin role names as substrings, IAM users named like admin roles
    tests/local/test_local_seed_iam_custom.py::test_a_role_whose_name_contains_the_admin_role_is_denied
    tests/local/test_local_iam_roles.py::test_lookalikes_of_a_role_given_by_arn_are_no_admin
    tests/local/test_local_iam_roles.py::test_finding_7_iam_user_named_like_the_admin_role_is_no_admin
    tests/resolvers/test_resolvers_iam_roles.py::test_finding_7_iam_user_named_like_the_admin_role_gets_no_bypass
- the unauthenticated role as the authenticated one (and the reverse)
    tests/local/test_local_iam_roles.py::test_finding_6_guest_credentials_of_the_signed_in_role_are_a_guest
    tests/local/test_local_iam_roles.py::test_signed_in_credentials_of_the_guest_role_are_signed_in
    tests/local/test_local_seed_iam_custom.py::test_the_unauthenticated_role_reads_and_cannot_write
    tests/local/test_local_seed_iam_custom.py::test_credentials_of_another_identity_pool_are_denied
    tests/cdk/test_construct_iam_roles.py::test_finding_6_one_role_as_both_identity_pool_roles_is_refused

Owners and groups
- owner spoofing in each stored form (<sub>::<username>, <sub>, <username>)
    tests/local/test_local_attacks.py::test_attack_owner_spoofing_in_each_stored_form
    tests/local/test_local_attacks.py::test_attack_owner_spoofing_by_a_later_user_with_the_same_username
    tests/resolvers/test_resolvers_create.py::test_foreign_owner_is_refused
- a username shaped like another user's "<sub>::<username>"
    tests/resolvers/test_resolvers_owner_identity.py::test_finding_1_username_shaped_like_sub_and_username_is_not_an_owner
    tests/local/test_local_owner_identity.py::test_finding_1_username_shaped_like_sub_and_username_is_not_an_owner
- an owner field taken over by a rule that may update it
    tests/authz/test_takeover.py::test_finding_8_synth_warns_when_a_rule_may_take_over_an_owner_field
    tests/local/test_local_blog_ownership.py::test_finding_8_blog_example_editors_cannot_take_ownership
- groups claim as a JSON string
    tests/local/test_local_seed_groups.py::test_custom_group_claim_as_a_json_string_admits_moderators
    tests/local/test_local_attacks.py::test_group_claim_shapes_that_name_the_group
- groups claim as a comma string, or malformed
    tests/local/test_local_attacks.py::test_attack_group_claim_shapes_that_do_not_name_the_group
    tests/local/test_local_attacks.py::test_attack_oidc_group_claim_shapes_that_do_not_name_the_group
- groups claim missing
    tests/local/test_local_seed_groups.py::test_custom_group_claim_denies_everyone_else
    tests/local/test_local_seed_groups.py::test_non_members_are_denied_every_salary_operation

Lambda authorizer
- isAuthorized: false (and unusable answers)
    tests/local/test_identity_lambda.py::test_refusals_and_unusable_answers_are_401
    tests/local/test_local_lambda_token.py::test_a_refused_token_is_appsyncs_401
- deniedFields on nested and list results
    tests/local/test_local_attacks.py::test_attack_lambda_denied_fields_on_nested_and_list_values
    tests/local/test_local_attacks.py::test_attack_lambda_denied_list_field_is_null_whole
    tests/local/test_local_seed_iam_custom.py::test_denied_fields_are_forced_to_null
    tests/local/test_local_questions.py::test_finding_4_denied_fields_cannot_be_filtered_on
- the TTL cache is per token
    tests/local/test_identity_lambda.py::test_answers_are_cached_by_token
    tests/local/test_identity_lambda.py::test_denials_are_cached_too
    tests/local/test_local_attacks.py::test_attack_lambda_cache_never_serves_one_tokens_answer_to_another

A protected field leaking
- through get and list
    tests/local/test_local_seed_field_rules.py::test_another_signed_in_user_gets_the_record_with_ssn_null
    tests/local/test_local_seed_field_rules.py::test_another_signed_in_user_lists_name_and_email_but_not_ssn
    tests/local/test_local_attack_leaks.py::test_attack_leak_through_get_and_list
- through an index query, its key conditions and its page tokens
    tests/local/test_local_attack_leaks.py::test_attack_leak_through_the_index_query_and_its_page_tokens
    tests/local/test_local_attack_leaks.py::test_attack_leak_through_questions_on_the_index_sort_key
    tests/local/test_local_questions.py::test_finding_2_an_owner_only_ssn_cannot_be_binary_searched_by_index_key
    tests/local/test_local_page_tokens.py::test_finding_11_a_page_token_holds_no_key_value
    tests/local/test_local_page_tokens.py::test_finding_11_a_tampered_token_is_refused
- through a mutation's response and its conditions
    tests/local/test_local_seed_field_rules.py::test_mutation_responses_null_the_protected_field
    tests/local/test_local_attack_leaks.py::test_attack_leak_through_mutation_responses
    tests/local/test_local_questions.py::test_finding_3_a_liker_cannot_read_a_note_through_conditions
- through a subscription payload
    tests/local/test_local_subscriptions.py::test_field_protected_values_are_null_in_events
    tests/local/test_local_subscriptions_ws.py::test_field_protected_values_are_null_in_events
    tests/local/test_local_attack_leaks.py::test_attack_leak_through_subscription_events
    tests/local/test_local_owner_identity.py::test_finding_5_a_later_user_with_the_same_username_receives_none_of_the_events
    tests/local/test_local_owner_identity.py::test_finding_5_an_oidc_user_with_a_pool_users_username_receives_none_of_the_events
    tests/local/test_local_owner_identity.py::test_finding_5_the_field_guard_judges_the_stored_owner
    tests/resolvers/test_resolvers_owner_identity.py::test_finding_5_field_resolver_judges_the_stored_owner_not_the_username
- through an error message
    tests/local/test_local_attack_leaks.py::test_attack_leak_through_error_messages
    tests/local/test_identity_lambda.py::test_an_exception_is_not_cached_and_not_leaked

Races
- an update by an owner who lost the record meanwhile (reassigned, removed as editor)
    tests/local/test_local_attack_races.py::test_attack_race_update_by_the_old_owner_lands_after_the_reassignment
    tests/local/test_local_attack_races.py::test_attack_race_an_editor_removed_meanwhile_changes_nothing
    tests/local/test_local_attack_races.py::test_attack_race_delete_by_the_old_owner_lands_after_the_reassignment
- concurrent deletes
    tests/local/test_local_attack_races.py::test_attack_race_concurrent_deletes_succeed_once
    tests/local/test_local_attack_races.py::test_attack_race_an_update_does_not_bring_a_deleted_record_back
- no lost update
    tests/local/test_local_attack_races.py::test_attack_race_updates_of_different_fields_lose_nothing
    tests/local/test_local_attack_races.py::test_attack_race_threads_updating_different_fields_lose_nothing
    tests/local/test_local_concurrency.py::test_concurrent_clients_lose_no_writes

Bad input
- malformed schemas, configurations and requests: a sentence, no traceback
    tests/project/test_bad_input.py::test_a_bad_schema_is_a_located_sentence
    tests/project/test_bad_input.py::test_a_bad_schema_path_is_a_sentence
    tests/project/test_bad_input.py::test_the_command_prints_no_traceback
    tests/project/test_bad_input.py::test_a_bad_configuration_is_a_sentence_naming_the_construct
    tests/project/test_bad_input.py::test_a_bad_request_gets_appsyncs_error_shape
    tests/project/test_bad_input.py::test_a_bad_graphql_request_is_a_graphql_error
    tests/project/test_bad_input.py::test_a_bad_realtime_message_is_an_error_message_and_the_connection_stays
- a bounded fuzz of the SDL compiler
    tests/test_fuzz_sdl.py::test_fuzz_mutated_schemas_compile_or_fail_with_located_sentences
- a bounded fuzz of the HTTP endpoint
    tests/local/test_fuzz_http.py::test_fuzz_the_endpoint_answers_everything_in_shape
    tests/local/test_fuzz_http.py::test_the_endpoint_still_serves_after_the_fuzz
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_ID = re.compile(r"^(tests/[\w/]+\.py)::(\w+)(?:\[(.*)\])?$")


def catalogue() -> dict[str, list[str]]:
    """Attack -> the node ids listed under it, in the order of the docstring."""
    found: dict[str, list[str]] = {}
    attack = None
    for line in (__doc__ or "").splitlines():
        text = line.strip()
        if text.startswith("- "):
            attack = text[2:]
            found[attack] = []
        elif NODE_ID.match(text):
            assert attack is not None, f"{text} is listed before any attack"
            found[attack].append(text)
    return found


def _listed(node_id: str, collected: set[str]) -> bool:
    """Whether ``node_id`` (a test, one of its parameter sets, or ``[prefix...]``) names
    collected items."""
    match = NODE_ID.match(node_id)
    assert match is not None
    path, function, params = match.groups()
    base = f"{path}::{function}"
    if params is None:
        return base in collected or any(c.startswith(base + "[") for c in collected)
    if params.endswith("..."):
        return any(c.startswith(f"{base}[{params[:-3]}") for c in collected)
    return node_id in collected


def _collect(paths: set[str]) -> set[str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            *paths,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return {line.strip() for line in done.stdout.splitlines() if "::" in line}


def test_every_attack_names_tests():
    found = catalogue()
    assert len(found) >= 30
    assert [attack for attack, ids in found.items() if not ids] == []


def test_every_listed_test_exists(request: pytest.FixtureRequest):
    listed = {node_id for ids in catalogue().values() for node_id in ids}
    # When the whole suite runs, the session has collected them already; otherwise (this
    # module alone, or a -k selection) the files that are missing are collected now.
    collected = {item.nodeid for item in request.session.items}
    missing = {n for n in listed if not _listed(n, collected)}
    if missing:
        collected |= _collect({n.split("::")[0] for n in missing})
        missing = {n for n in missing if not _listed(n, collected)}
    assert sorted(missing) == []


def test_the_checker_notices_a_missing_test():
    collected = {"tests/a.py::test_x[one-1]", "tests/a.py::test_y"}
    assert _listed("tests/a.py::test_x", collected)
    assert _listed("tests/a.py::test_x[one...]", collected)
    assert _listed("tests/a.py::test_y", collected)
    assert not _listed("tests/a.py::test_x[two...]", collected)
    assert not _listed("tests/a.py::test_z", collected)
    assert not _listed("tests/b.py::test_y", collected)
