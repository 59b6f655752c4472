"""Schema paths: files and directories of *.graphql files, for ApiDefinition.from_files."""

from __future__ import annotations

from pathlib import Path

import pytest

from authorized_appsync import ApiDefinition, SchemaFileError
from authorized_appsync.schema.files import schema_files

POST = "type Post @model @auth(rules: [{ allow: owner }]) { title: String }\n"
NOTE = "type Note @model @auth(rules: [{ allow: private }]) { text: String }\n"
TAG = "type Tag @model @auth(rules: [{ allow: private }]) { label: String }\n"


@pytest.fixture
def schema_dir(tmp_path: Path) -> Path:
    root = tmp_path / "schema"
    (root / "b").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b" / "note.graphql").write_text(NOTE)
    (root / "a.graphql").write_text(POST)
    (root / "c.graphql").write_text(TAG)
    (root / "c.graphql.orig").write_text("not a schema")
    (root / ".git" / "x.graphql").write_text("type X @model { broken")
    return root


def test_a_directory_is_its_graphql_files_sorted_recursively(schema_dir: Path):
    assert schema_files(schema_dir) == (
        schema_dir / "a.graphql",
        schema_dir / "b" / "note.graphql",
        schema_dir / "c.graphql",
    )


def test_from_files_takes_a_directory(schema_dir: Path):
    from_dir = ApiDefinition.from_files(schema_dir).schema
    listed = ApiDefinition.from_files(*schema_files(schema_dir)).schema
    assert from_dir == listed
    assert [m.name for m in from_dir.models] == ["Post", "Note", "Tag"]


def test_a_file_is_taken_as_given_whatever_its_name(tmp_path: Path):
    path = tmp_path / "schema.gql"
    path.write_text(POST)
    assert [m.name for m in ApiDefinition.from_files(path).schema.models] == ["Post"]


def test_every_unusable_path_is_named_at_once(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SchemaFileError) as raised:
        ApiDefinition.from_files(tmp_path / "nope.graphql", empty)
    assert raised.value.problems == (
        f"Schema path '{tmp_path / 'nope.graphql'}' does not exist; give a .graphql file or a "
        "directory of .graphql files.",
        f"Directory '{empty}' holds no .graphql file (its subdirectories were searched too); "
        "give a .graphql file or a directory that holds some.",
    )


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path):
    path = tmp_path / "latin1.graphql"
    path.write_bytes("type Caf\xe9 @model { x: String }\n".encode("latin-1"))
    with pytest.raises(
        SchemaFileError,
        match=r"'.*latin1\.graphql' is not UTF-8 text \(byte "
        r"0xe9 at offset 8\); save it as UTF-8\.",
    ):
        ApiDefinition.from_files(path)


def test_no_path_at_all_is_refused():
    with pytest.raises(ValueError, match="needs at least one path"):
        ApiDefinition.from_files()


def test_an_unreadable_directory_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    real_iterdir = Path.iterdir

    def iterdir(self: Path):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    with pytest.raises(SchemaFileError) as raised:
        schema_files(tmp_path)
    assert raised.value.problems == (
        f"Cannot read schema directory '{locked}': Permission denied.",
    )
