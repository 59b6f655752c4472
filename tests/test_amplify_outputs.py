"""amplify_outputs.json as this library writes it (Amplify's outputs schema, version 1.4),
from the client configuration a stack's output holds."""

from __future__ import annotations

import json
from typing import Any

import pytest

from authorized_appsync.amplify_outputs import OUTPUTS_VERSION, StackClientConfig

URL = "https://example.appsync-api.eu-west-1.amazonaws.com/graphql"


def _config(**given: Any) -> StackClientConfig:
    values: dict[str, Any] = {
        "api": "App/Api",
        "url": URL,
        "region": "eu-west-1",
        "default_mode": "API_KEY",
        "modes": ("API_KEY",),
        **given,
    }
    return StackClientConfig(**values)


def test_the_output_value_reads_back_as_written():
    config = _config(
        modes=("API_KEY", "AMAZON_COGNITO_USER_POOLS", "AWS_IAM"),
        api_key="da2-key",
        user_pool_id="eu-west-1_pool",
        user_pool_client_id="client",
        identity_pool_id="eu-west-1:ids",
        guests=True,
        introspection="s3://bucket/key.json",
    )
    text = json.dumps(config.to_json())
    assert StackClientConfig.parse(text, "the output") == config


def test_an_api_key_api_has_no_auth_section_and_lists_no_other_mode():
    document = _config(api_key="da2-key").outputs({"version": 1}).to_json()
    assert document == {
        "version": OUTPUTS_VERSION,
        "data": {
            "url": URL,
            "aws_region": "eu-west-1",
            "default_authorization_type": "API_KEY",
            "authorization_types": [],
            "api_key": "da2-key",
            "model_introspection": {"version": 1},
        },
    }


def test_an_identity_pool_without_guests_and_a_client_given_on_the_command_line():
    config = _config(
        default_mode="AWS_IAM",
        modes=("AMAZON_COGNITO_USER_POOLS", "AWS_IAM"),
        user_pool_id="eu-west-1_pool",
        identity_pool_id="eu-west-1:ids",
    )
    document = config.outputs(None, user_pool_client_id="web").to_json()
    assert document["auth"] == {
        "aws_region": "eu-west-1",
        "user_pool_id": "eu-west-1_pool",
        "user_pool_client_id": "web",
        "identity_pool_id": "eu-west-1:ids",
        "unauthenticated_identities_enabled": False,
    }
    assert document["data"]["authorization_types"] == ["AMAZON_COGNITO_USER_POOLS"]
    assert "model_introspection" not in document["data"]


@pytest.mark.parametrize("text", ["not json", "{}", '{"api": "A"}', "[1]"])
def test_a_value_this_library_did_not_write_is_named(text: str):
    with pytest.raises(ValueError, match="^The output X of 'S' is not a client configuration"):
        StackClientConfig.parse(text, "The output X of 'S'")
