"""README's "Use it in your CDK app": the files it shows, written out as a user would copy
them, synthesize with the command their cdk.json gives, and their pytest fixture runs the
rules through LocalAppSync. The blocks are read from the README (each after a
``<!-- file: PATH -->`` marker), so the README and this test cannot drift apart."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCK = re.compile(r"<!-- file: (?P<path>\S+) -->\n```\w*\n(?P<text>.*?)```\n", re.DOTALL)
EXPECTED = {
    "schema/todo.graphql",
    "app.py",
    "cdk.json",
    "tests/conftest.py",
    "tests/test_todo_rules.py",
}


def readme_files() -> dict[str, str]:
    return {m["path"]: m["text"] for m in BLOCK.finditer(README.read_text(encoding="utf-8"))}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name, text in readme_files().items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _env(**extra: str) -> dict[str, str]:
    # The README's commands run with the user's virtualenv first on PATH (`python3`).
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "PATH": path, **extra}


def test_readme_shows_the_whole_project():
    assert set(readme_files()) == EXPECTED


def test_readme_app_synthesizes_with_its_cdk_json(project: Path):
    command = json.loads((project / "cdk.json").read_text())["app"]
    out = project / "cdk.out"
    # What `cdk synth` does: run the app command with CDK_OUTDIR set.
    done = subprocess.run(
        command,
        shell=True,
        cwd=project,
        env=_env(CDK_OUTDIR=str(out)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    template = json.loads((out / "TodoApi.template.json").read_text())
    kinds = {r["Type"] for r in template["Resources"].values()}
    assert {"AWS::AppSync::GraphQLApi", "AWS::Cognito::UserPool", "AWS::AppSync::ApiKey"} <= kinds
    assert "GraphqlUrl" in template["Outputs"]


def test_readme_fixture_runs_the_rules_locally(project: Path):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
