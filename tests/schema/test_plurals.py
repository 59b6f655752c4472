"""Amplify's names for list queries and subscriptions, checked against Amplify's own rules
run in node (issue 13).

Amplify's transformer v2 names a model's list (and sync) query ``list`` + npm
``pluralize(name)`` (``graphql-transformer-common`` ``plurality(name, true)``), and cuts a
subscription name longer than 50 characters to its first 45 and the first 5 hex digits of
its md5 (``amplify-graphql-transformer-core`` ``utils/operation-names.ts``). ``pluralize``
is the pinned npm dev dependency ``pluralize@8.0.0`` (package.json), the version the
transformer depends on; ``make setup`` installs it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import graphql
import pytest

from authorized_appsync import ApiDefinition
from authorized_appsync.authz.api_plan import plan_api
from authorized_appsync.authz.settings import ApiSettings
from authorized_appsync.codegen.sdl.generator import appsync_preamble, generate_sdl
from authorized_appsync.schema import names
from authorized_appsync.schema.model import Provider
from authorized_appsync.schema.plurals import plural

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "names" / "model_names.txt"
WORDS = [line for line in CORPUS.read_text().splitlines() if line and not line.startswith("#")]


def _node(script: str, stdin: str) -> str:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "pluralize").is_dir():
        pytest.fail("npm pluralize is not installed: run `make setup` (needs node and npm).")
    done = subprocess.run(
        [node, "-e", script], cwd=ROOT, input=stdin, capture_output=True, text=True, check=True
    )
    return done.stdout


def _by_node(script: str, words: list[str]) -> dict[str, str]:
    """``{word: f(word)}`` for the node expression ``f`` of ``script`` (``w`` is the word)."""
    program = (
        "const pluralize = require('pluralize');"
        "const md5 = (s) => require('crypto').createHash('md5').update(s).digest('hex');"
        "const words = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        f"process.stdout.write(JSON.stringify(words.map((w) => [w, {script}])));"
    )
    answer: list[tuple[str, str]] = json.loads(_node(program, json.dumps(words)))
    return dict(answer)


PLURALIZE_8 = _by_node("pluralize(w)", WORDS)


def test_the_corpus_is_large_and_varied():
    assert len(WORDS) >= 300
    assert len(set(WORDS)) == len(WORDS)
    # Words whose plural is not the name plus "s", so the corpus checks the rules.
    assert sum(1 for w in WORDS if PLURALIZE_8[w] != w + "s") >= 150


def test_the_pinned_pluralize_is_version_8():
    package = json.loads((ROOT / "node_modules" / "pluralize" / "package.json").read_text())
    assert package["version"] == "8.0.0"


@pytest.mark.parametrize("word", WORDS)
def test_plural_is_npm_pluralize_8(word: str):
    assert plural(word) == PLURALIZE_8[word]


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("Post", "listPosts"),
        ("Salary", "listSalaries"),
        ("Category", "listCategories"),
        ("Person", "listPeople"),
        ("SalesPerson", "listSalesPeople"),
        ("PostTags", "listPostTags"),
        ("PostTag", "listPostTags"),
        ("Status", "listStatuses"),
        ("Data", "listData"),
        ("UserData", "listUserData"),
        ("Equipment", "listEquipment"),
        ("UserEquipment", "listUserEquipments"),
        ("Canvas", "listCanvas"),
        ("todo", "listTodos"),
    ],
)
def test_list_query_names(model: str, query: str):
    assert names.list_field(model) == query


def test_the_generated_schema_lists_with_amplify_plurals():
    sdl = """
    type Salary @model @auth(rules: [{allow: public}]) { id: ID! amount: Int }
    type Person @model @auth(rules: [{allow: public}]) { id: ID! name: String }
    type PostTags @model @auth(rules: [{allow: public}]) { id: ID! tag: String }
    """
    fields = _root_fields(sdl, "Query")
    assert {"listSalaries", "listPeople", "listPostTags"} <= fields
    assert not {"listSalarys", "listPersons", "listPostTagss"} & fields


# Subscription names: Amplify's truncateSubscriptionName, run in node.
AMPLIFY_SUBSCRIPTION_NAME = "w.length <= 50 ? w : w.slice(0, 45) + md5(w).slice(0, 5)"
LONG_MODELS = [
    "Post",
    "A" * 42,  # onCreate + 42 = 50 characters: kept
    "A" * 43,  # 51: cut
    "TodoWithExtraLongLongLongLongLongLongLongLongLongName",
    "TodoWithExtraLongLongLongLongLongLongLongLongLongNameTwo",
]


@pytest.mark.parametrize("model", LONG_MODELS)
def test_subscription_names_are_cut_as_amplify_cuts_them(model: str):
    wanted = _by_node(AMPLIFY_SUBSCRIPTION_NAME, [f"on{op}{model}" for op in _OPS])
    ours = (
        names.on_create_field(model),
        names.on_update_field(model),
        names.on_delete_field(model),
    )
    assert ours == tuple(wanted.values())
    assert all(len(name) <= 50 for name in ours)


_OPS = ("Create", "Update", "Delete")


def test_a_cut_subscription_name_keeps_45_characters_and_5_of_the_md5():
    model = "TodoWithExtraLongLongLongLongLongLongLongLongLongName"
    # `echo -n onCreateTodoWithExtraLongLongLongLongLongLongLongLongLongName | md5sum`: fde69...
    assert names.on_create_field(model) == "onCreateTodoWithExtraLongLongLongLongLongLongfde69"


def test_the_generated_schema_subscribes_with_the_cut_names():
    model = "TodoWithExtraLongLongLongLongLongLongLongLongLongName"
    sdl = f"type {model} @model @auth(rules: [{{allow: public}}]) {{ id: ID! name: String }}"
    fields = _root_fields(sdl, "Subscription")
    assert fields == {
        names.on_create_field(model),
        names.on_update_field(model),
        names.on_delete_field(model),
    }


def _root_fields(sdl: str, root: str) -> set[str]:
    schema = ApiDefinition.from_string(sdl, "schema.graphql").schema
    out = generate_sdl(
        plan_api(schema, ApiSettings()), frozenset(Provider), default_mode=Provider.API_KEY
    )
    built = graphql.build_schema(appsync_preamble() + out)
    root_type = built.get_type(root)
    assert isinstance(root_type, graphql.GraphQLObjectType)
    return set(root_type.fields)
