"""`serve` writes amplify_outputs.json for its local endpoints and prints where; a client
configured from that file alone reaches the API: requests with the API key it names, a user of
the user pool and app client it names (signed up at the Cognito endpoint its custom section
names), and Amplify JS's own Gen 2 data client, `Amplify.configure(outputs)` and
`generateClient()`, creating and listing posts of the blog example through the model
introspection the file carries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from aws_cdk import App
from botocore import UNSIGNED
from botocore.config import Config
from serve_harness import PASSWORD, ROOT, serving, synth

sys.path.insert(0, str(ROOT))
import app as blog  # the example app at the repository root


def build(app: App) -> None:
    blog.BlogApiStack(app, "BlogApiStack")


@pytest.fixture(scope="module")
def assembly(tmp_path_factory) -> Path:
    return synth(tmp_path_factory.mktemp("blog") / "cdk.out", build)


def _post(outputs: dict[str, Any], query: str, headers: dict[str, str]) -> dict[str, Any]:
    data = outputs["data"]
    answer = requests.post(
        data["url"],
        json={"query": query},
        headers={"Content-Type": "application/json", **headers},
        timeout=60,
    )
    body: dict[str, Any] = answer.json()
    return body


def _signed_up(outputs: dict[str, Any], user: str) -> str:
    """A user of the pool the file names, signed up at its Cognito endpoint: an ID token."""
    auth = outputs["auth"]
    idp = boto3.client(
        "cognito-idp",
        endpoint_url=outputs["custom"]["authorized_appsync"]["cognito_endpoint"],
        region_name=auth["aws_region"],
        config=Config(signature_version=UNSIGNED),
    )
    client = auth["user_pool_client_id"]
    idp.sign_up(ClientId=client, Username=user, Password=PASSWORD)
    idp.confirm_sign_up(ClientId=client, Username=user, ConfirmationCode="000000")
    answer = idp.initiate_auth(
        ClientId=client,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user, "PASSWORD": PASSWORD},
    )
    token: str = answer["AuthenticationResult"]["IdToken"]
    return token


def test_serve_writes_amplify_outputs_a_client_can_use(assembly, tmp_path):
    target = tmp_path / "web" / "amplify_outputs.json"
    with serving(assembly, None, "--outputs", str(target)) as served:
        outputs = json.loads(target.read_text())
        state = served.state
        assert outputs["version"] == "1.4"
        data = outputs["data"]
        assert data["url"] == state["graphql_url"]
        assert data["api_key"] == state["api_keys"][0]["value"]
        assert data["default_authorization_type"] == "AMAZON_COGNITO_USER_POOLS"
        assert "API_KEY" in data["authorization_types"]
        assert sorted(data["model_introspection"]["models"]) == [
            "Comment",
            "Post",
            "PostTags",
            "Report",
            "Tag",
        ]
        assert outputs["auth"]["user_pool_id"] == state["cognito"]["user_pool_id"]
        assert outputs["auth"]["user_pool_client_id"] == state["cognito"]["client_id"]
        # serve answers Cognito Identity for the blog's pool at its Cognito endpoint.
        assert outputs["auth"]["identity_pool_id"] == "us-east-1:Identities1D2FC062"
        assert (
            outputs["custom"]["authorized_appsync"]["identity_pool_endpoint"]
            == (outputs["custom"]["authorized_appsync"]["cognito_endpoint"])
        )

        token = _signed_up(outputs, "ada")
        created = _post(
            outputs,
            'mutation { createPost(input: {title: "t"}) { id title } }',
            {"Authorization": token},
        )
        assert created["data"]["createPost"]["title"] == "t"
        listed = _post(outputs, "{ listPosts { items { title } } }", {"x-api-key": data["api_key"]})
        assert listed["data"]["listPosts"]["items"] == [{"title": "t"}]
        denied = _post(outputs, "{ listPosts { items { title } } }", {"x-api-key": "da2-wrong"})
        assert denied["errors"][0]["errorType"] == "UnauthorizedException"

        status, out, _ = served.stop()
    assert status == 0
    assert str(target) in out
    assert target.exists()  # kept for the front end's build; the next start rewrites it


def test_amplify_data_client_works_from_the_outputs_alone(assembly, tmp_path):
    target = tmp_path / "amplify_outputs.json"
    with serving(assembly, None, "--outputs", str(target)) as served:
        outputs = json.loads(target.read_text())
        _signed_up(outputs, "grace")
        done = subprocess.run(
            ["node", str(Path(__file__).with_name("amplify_data_client.mjs"))],
            input=json.dumps(
                {"outputs": str(target), "username": "grace", "password": PASSWORD, "title": "hi"}
            ),
            capture_output=True,
            text=True,
            timeout=180,
            cwd=ROOT,
            check=False,
        )
        served.stop()
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in result, result
    assert result["created"]["errors"] is None
    assert result["created"]["data"]["title"] == "hi"
    assert result["created"]["data"]["owner"].split("::")[-1] == "grace"  # the signed-in user
    assert result["listed"]["titles"] == ["hi"]
    # The client selects every field; the owner-only draft notes are refused to the API key
    # (and null), as AppSync does for a field a caller may not read.
    assert result["listed"]["errors"] == ["Not Authorized to access draftNotes on type Post"]
    # The public rule allows read only: the API refuses the API key's create.
    assert result["denied"]["data"] is None
    assert result["denied"]["errors"] == ["Unauthorized"]
