"""The command line: `check` and `acm`, their output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from authorized_appsync.cli import main

ROOT = Path(__file__).resolve().parent.parent
BLOG = ROOT / "examples" / "blog.graphql"

SEED_BLOG = """type Blog @model
  @auth(rules: [{ allow: public, operations: [read], provider: iam }, { allow: owner }]) {
  title: String
  content: String
}
"""


@pytest.fixture
def blog_seed(tmp_path: Path) -> Path:
    path = tmp_path / "blog.graphql"
    path.write_text(SEED_BLOG)
    return path


def test_acm_json_rows_cover_every_combination(blog_seed: Path, capsys):
    assert main(["acm", str(blog_seed), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    # 2 roles x 2 fields x 4 operations, one row per combination.
    assert len(rows) == 16
    assert {tuple(sorted(r)) for r in rows} == {("allowed", "field", "operation", "role", "type")}
    assert {
        "type": "Blog",
        "role": "iam:public",
        "field": "title",
        "operation": "read",
        "allowed": True,
    } in rows
    assert {
        "type": "Blog",
        "role": "iam:public",
        "field": "title",
        "operation": "update",
        "allowed": False,
    } in rows


def test_acm_json_implicit_adds_generated_fields(blog_seed: Path, capsys):
    assert main(["acm", str(blog_seed), "--format", "json", "--implicit"]) == 0
    fields = {r["field"] for r in json.loads(capsys.readouterr().out)}
    assert fields == {"title", "content", "id", "owner", "createdAt", "updatedAt"}


TODO_TASKS = """type Todo @model @auth(rules: [{ allow: owner }]) {
  content: String
  tasks: [Task] @hasMany
}
type Task @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
  description: String!
  todo: Todo @belongsTo
}
"""


def test_acm_json_lists_relation_fields_with_the_declaring_models_rules(tmp_path: Path, capsys):
    # Amplify's access-control matrix lists a relation field like any field of the model
    # that declares it; what the field returns is decided by the related model's own rows.
    schema = tmp_path / "todo.graphql"
    schema.write_text(TODO_TASKS)
    assert main(["acm", str(schema), "--format", "json", "--implicit"]) == 0
    rows = json.loads(capsys.readouterr().out)
    fields = {(r["type"], r["field"]) for r in rows}
    assert {("Todo", "tasks"), ("Task", "todo"), ("Task", "todoTasksId")} <= fields
    tasks = {(r["role"], r["operation"]): r["allowed"] for r in rows if r["field"] == "tasks"}
    assert tasks[("userPools:owner:owner", "read")] is True
    # Todo has no private rule: its relation field has no row for one.
    assert {role for role, _ in tasks} == {"userPools:owner:owner"}
    todo = {(r["role"], r["operation"]): r["allowed"] for r in rows if r["field"] == "todo"}
    assert todo[("userPools:private", "read")] is True
    assert todo[("userPools:private", "update")] is False


def test_acm_table_for_one_type(blog_seed: Path, capsys):
    assert main(["acm", str(blog_seed), "--type", "Blog"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("iam:public\n┌─────────┬")
    assert "userPools:owner:owner" in out


def test_acm_unknown_type_suggests_a_model(blog_seed: Path, capsys):
    assert main(["acm", str(blog_seed), "--type", "Blgo"]) == 2
    err = capsys.readouterr().err
    assert "--type 'Blgo' is not a model of the schema" in err
    assert "Did you mean 'Blog'?" in err


def test_acm_model_without_rules_says_nobody(tmp_path: Path, capsys):
    path = tmp_path / "s.graphql"
    path.write_text("type Todo @model { content: String }\n")
    assert main(["acm", str(path)]) == 0
    assert "(no rules: nobody may access this model)" in capsys.readouterr().out


def test_acm_sandbox_applies_global_public_rule(tmp_path: Path, capsys):
    path = tmp_path / "s.graphql"
    path.write_text("type Todo @model { content: String }\n")
    assert main(["acm", str(path), "--sandbox", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["role"] for r in rows} == {"apiKey:public"}
    assert all(r["allowed"] for r in rows)


def test_several_files_form_one_schema(tmp_path: Path, capsys):
    (tmp_path / "a.graphql").write_text(
        "type Post @model @auth(rules: [{ allow: owner }]) { title: String\n" "  author: Author }\n"
    )
    (tmp_path / "b.graphql").write_text(
        "type Author { name: String }\n"
        "type Comment @model @auth(rules: [{ allow: owner }]) { text: String }\n"
    )
    assert main(["check", str(tmp_path / "a.graphql"), str(tmp_path / "b.graphql")]) == 0
    assert capsys.readouterr().out == "ok: 2 models, no problems.\n"


def test_check_reports_what_synthesis_refuses_with_its_place(tmp_path: Path, capsys):
    # A valid schema this version cannot deploy (@auth on a relation field) is refused by
    # check as by synthesis, at its place in its file.
    (tmp_path / "a.graphql").write_text(
        "type Post @model @auth(rules: [{ allow: owner }]) {\n"
        "  comments: [Comment] @hasMany @auth(rules: [{ allow: owner }])\n"
        '  blog: String! @primaryKey(sortKeyFields: ["title"])\n  title: String! }\n'
    )
    (tmp_path / "b.graphql").write_text(
        "type Comment @model @auth(rules: [{ allow: owner }]) { text: String }\n"
    )
    assert main(["check", str(tmp_path / "a.graphql"), str(tmp_path / "b.graphql")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"{tmp_path / 'a.graphql'}:2:3: field 'Post.comments' uses @hasMany: @auth on a "
        "relation field is not generated yet"
    )
    assert err.endswith("1 problem found.\n")


def test_check_with_modes_refuses_rules_the_modes_cannot_serve(tmp_path: Path, capsys):
    schema = tmp_path / "schema.graphql"
    schema.write_text("type Todo @model @auth(rules: [{ allow: owner }]) { c: String }\n")
    assert main(["check", str(schema), "--modes", "API_KEY"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"{schema}:1:32: the rule {{ allow: owner, provider: userPools }} on type 'Todo' needs "
        "the AMAZON_COGNITO_USER_POOLS authorization mode, which is not configured"
    )
    assert main(["check", str(schema), "--modes", "API_KEY,AMAZON_COGNITO_USER_POOLS"]) == 0
    assert main(["check", str(schema), "--modes", "API_KEYS"]) == 2
    assert "Did you mean 'API_KEY'?" in capsys.readouterr().err


def test_check_missing_path_is_a_usage_error(tmp_path: Path, capsys):
    (tmp_path / "schema.graphql").write_text("type Todo @model { content: String }\n")
    missing = tmp_path / "schema.graphq"
    assert main(["check", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"authorized-appsync check: Schema path '{missing}' does not exist; give a .graphql "
        "file or a directory of .graphql files. Did you mean 'schema.graphql'?\n"
    )


def test_directory_without_graphql_files_is_a_usage_error(tmp_path: Path, capsys):
    (tmp_path / "notes.txt").write_text("type Todo @model { content: String }\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "old.graphql").write_text("type Old @model { x: String }\n")
    assert main(["acm", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"authorized-appsync acm: Directory '{tmp_path}' holds no .graphql file (its "
        "subdirectories were searched too); give a .graphql file or a directory that holds "
        "some.\n"
    )


AMPLIFY_SCHEMA_DIR = {
    # An Amplify Gen 1 project keeps amplify/backend/api/<name>/schema/*.graphql.
    "schema/post.graphql": "type Post @model @auth(rules: [{ allow: owner }]) {\n"
    "  title: String\n}\n",
    "schema/blog/comment.graphql": "type Comment @model @auth(rules: [{ allow: owner }]) {\n"
    "  text: String\n}\n",
    "schema/.backup/post.graphql": "type Post @model { broken",  # hidden: skipped
    "schema/README.md": "not a schema",  # not .graphql: skipped
}


def _write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_check_reads_every_graphql_file_under_a_directory(tmp_path: Path, capsys):
    _write_tree(tmp_path, AMPLIFY_SCHEMA_DIR)
    assert main(["check", str(tmp_path / "schema")]) == 0
    assert capsys.readouterr().out == "ok: 2 models, no problems.\n"


def test_acm_reads_a_directory(tmp_path: Path, capsys):
    _write_tree(tmp_path, AMPLIFY_SCHEMA_DIR)
    assert main(["acm", str(tmp_path / "schema"), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["type"] for r in rows} == {"Post", "Comment"}


def test_problems_in_a_directory_keep_file_line_col(tmp_path: Path, capsys):
    _write_tree(tmp_path, AMPLIFY_SCHEMA_DIR)
    bad = tmp_path / "schema" / "blog" / "tag.graphql"
    bad.write_text("type Tag @model {\n  label: Strng\n}\n")
    assert main(["check", str(tmp_path / "schema")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{bad}:2:3: Field 'Tag.label' has unknown type 'Strng'")
    assert err[-1] == "1 problem found."


def test_a_file_named_twice_is_read_once(tmp_path: Path, capsys):
    _write_tree(tmp_path, AMPLIFY_SCHEMA_DIR)
    post = tmp_path / "schema" / "post.graphql"
    assert main(["check", str(post), str(tmp_path / "schema")]) == 0
    assert capsys.readouterr().out == "ok: 2 models, no problems.\n"


def test_check_syntax_error_is_located(tmp_path: Path, capsys):
    path = tmp_path / "s.graphql"
    path.write_text("type Todo @model {\n  content String\n}\n")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:2:11: GraphQL syntax error: Expected ':'")
    assert "1 problem found." in err


def test_console_script_runs_the_example():
    exe = Path(sys.executable).parent / "authorized-appsync"
    done = subprocess.run(
        [str(exe), "check", str(BLOG)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: 5 models")
