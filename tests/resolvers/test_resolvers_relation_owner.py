"""queryIndex.js as a @hasMany's read with a relation owner index (``ownerIndexes``): a
page only the owner rule admits is ONE Query on the foreign key and the caller's owner key,
filtered on their full identities; any other caller reads the foreign-key index."""

from __future__ import annotations

from typing import Any

from authorized_appsync.codegen.resolvers.plan import OperationKind, ResolverPlan
from authorized_appsync.codegen.tables import OwnerIndex
from resolver_harness import ALICE, CAROL, Resolver, dynamic_groups, from_ddb, owner, plan

FK_INDEX = "gsi-Blog.posts"
OWNER_INDEX = "gsi-Blog.posts.ownerOwnerIndex"
KEY = "__ownerKey_owner"
SOURCE = {"id": "blog-1"}


def relation_plan(*rules: Any) -> ResolverPlan:
    return plan(
        OperationKind.QUERY_INDEX,
        rules,
        index_name=FK_INDEX,
        index_partition_key="blogPostsId",
        index_sort_key=None,
        source_keys=(("blogPostsId", "id"),),
        owner_indexes=(OwnerIndex("owner", OWNER_INDEX, KEY, narrows=FK_INDEX),),
    )


def _query(result: Any) -> tuple[str, dict[str, str], dict[str, Any]]:
    query = result["query"]
    values = {k: from_ddb(v) for k, v in query["expressionValues"].items()}
    return query["expression"], query["expressionNames"], values


def test_an_owner_only_page_queries_the_foreign_key_and_the_owner_key() -> None:
    sent = Resolver(relation_plan(owner())).request(
        ALICE, arguments={"limit": 20, "nextToken": "opaque"}, source=SOURCE
    )
    assert sent.error is None
    result = sent.result
    assert isinstance(result, dict)
    assert (result["operation"], result["index"]) == ("Query", OWNER_INDEX)
    assert _query(result) == (
        f"#blogPostsId = :pk AND #{KEY} = :sk",
        {"#blogPostsId": "blogPostsId", f"#{KEY}": KEY},
        {":pk": "blog-1", ":sk": "alice"},
    )
    # Still filtered on the caller's full identities, with the page arguments passed on.
    assert result["filter"]["expression"] == "#owner IN (:auth0, :auth1, :auth2)"
    assert (result["limit"], result["nextToken"]) == (20, "opaque")


def test_mixed_predicates_read_the_foreign_key_index_with_the_filter() -> None:
    p = relation_plan(owner(), dynamic_groups(is_list=True))
    sent = Resolver(p).request(CAROL, arguments={}, source=SOURCE)
    result = sent.result
    assert isinstance(result, dict)
    assert result["index"] == FK_INDEX
    assert _query(result)[0] == "#blogPostsId = :pk"
    assert "contains(#groups" in result["filter"]["expression"]
