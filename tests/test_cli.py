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
        "type Post @model @auth(rules: [{ allow: owner }]) { title: String\n"
        "  comments: [Comment] @hasMany }\n"
    )
    (tmp_path / "b.graphql").write_text(
        "type Comment @model @auth(rules: [{ allow: owner }]) { text: String }\n"
    )
    assert main(["check", str(tmp_path / "a.graphql"), str(tmp_path / "b.graphql")]) == 0
    assert capsys.readouterr().out == "ok: 2 models, no problems.\n"


def test_check_missing_file(tmp_path: Path, capsys):
    missing = tmp_path / "nope.graphql"
    assert main(["check", str(missing)]) == 1
    assert f"Cannot read schema file '{missing}'" in capsys.readouterr().err


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
    assert done.stdout.startswith("ok: 3 models")
