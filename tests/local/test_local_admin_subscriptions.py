"""Admin roles put ``@aws_iam`` on every subscription; an IAM principal that is neither an
admin role nor an identity-pool role must still receive nothing.

Found by the conformance oracle (tests/conformance): a subscription whose listen rules need
no claims (``private`` user pools, ``public`` API key) had no resolver, so the directive
alone decided and any IAM role whose own policy allowed the field received every event
(docs/semantics.md, "Resolvers: who is calling": "Any other IAM caller is refused by every
resolver").
"""

from __future__ import annotations

import pytest
from stacks import IdentityPool, api_stack, role_name

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.subscriptions.hub import SubscriptionRefusedError

SCHEMA = """
type Post @model(timestamps: null) @auth(rules: [{ allow: private }]) {
  id: ID!
  title: String
}

type Notice @model(timestamps: null) @auth(rules: [{ allow: public, provider: apiKey }]) {
  id: ID!
  title: String
}
"""


@pytest.fixture(scope="module")
def setup():
    stack = api_stack(
        "AdminSubscriptions", SCHEMA, api_key=True, identity_pool=IdentityPool(), admin_role="Ops"
    )
    with LocalAppSync.from_stack(stack) as local:
        yield local, role_name(stack, "Ops")


def publish(api, model):
    writer = api.user("alice") if model == "Post" else api.api_key()
    created = api.graphql(
        f'mutation {{ create{model}(input: {{title: "t"}}) {{ id title }} }}', auth=writer
    )
    assert "errors" not in created, created


@pytest.mark.parametrize("model", ["Post", "Notice"])
def test_an_iam_role_outside_the_pool_receives_no_events_with_admin_roles(setup, model):
    api, _ = setup
    query = f"subscription {{ onCreate{model} {{ id }} }}"
    with pytest.raises(SubscriptionRefusedError):
        api.subscribe(query, auth=api.iam("Stranger"))


@pytest.mark.parametrize("model", ["Post", "Notice"])
def test_the_admin_role_still_receives_every_event(setup, model):
    api, admin = setup
    with api.subscribe(
        f"subscription {{ onCreate{model} {{ id title }} }}", auth=api.iam(admin)
    ) as events:
        publish(api, model)
    assert [e["data"][f"onCreate{model}"]["title"] for e in events.events] == ["t"]
