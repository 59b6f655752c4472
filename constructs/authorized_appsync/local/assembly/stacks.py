"""The stacks of a cloud assembly, found as the CDK CLI finds them: the artifacts of type
``aws:cloudformation:stack`` in its ``manifest.json`` and, recursively, in the nested cloud
assemblies a ``Stage`` puts under it (artifacts of type ``cdk:cloud-assembly``, each a folder
``assembly-<Stage>/`` with a manifest of its own). A folder without a manifest (templates
copied by hand) is read as its ``*.template.json`` files; one template file is one stack.

Each stack carries the construct paths of its resources (the manifest's ``aws:cdk:logicalId``
metadata, inline or in the artifact's ``additionalMetadataFile``), so an API can be named by
its construct path even when the template has no ``aws:cdk:path`` metadata.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["StackFile", "assembly_stacks", "read_json", "synthesized_stack"]

_STACK = "aws:cloudformation:stack"
_NESTED_ASSEMBLY = "cdk:cloud-assembly"
_LOGICAL_ID = "aws:cdk:logicalId"


@dataclass(frozen=True)
class StackFile:
    """One stack of a cloud assembly. ``display``: its name as ``cdk ls`` prints it (the
    construct path, ``Prod/Backend`` for a stack in the stage ``Prod``); ``names``: every
    name ``--stack`` accepts for it (display name, CloudFormation stack name, artifact id);
    ``folder``: the (nested) assembly folder holding its template and assets;
    ``construct_paths``: logical id -> construct path of its template's resources."""

    display: str
    template: Path
    folder: Path
    names: frozenset[str] = frozenset()
    artifact_id: str = ""
    construct_paths: Mapping[str, str] = field(default_factory=dict)

    def matches(self, name: str) -> bool:
        return name.strip("/") in self.names


def read_json(path: Path, what: str) -> Any:
    """The JSON document at ``path``; ``ValueError`` with a sentence naming ``what`` it is."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"{what} {path} cannot be read ({error.strerror or error}).") from None
    except ValueError as error:
        raise ValueError(f"{what} {path} is not JSON: {error}.") from None


def _construct_paths(folder: Path, artifact: Mapping[str, Any]) -> dict[str, str]:
    """Logical id -> construct path (without the leading slash), from the artifact's
    metadata; a logical id found under two paths (a nested stack's resource may repeat a
    parent's logical id) is left out rather than guessed."""
    metadata = artifact.get("metadata")
    extra = artifact.get("additionalMetadataFile")
    if not isinstance(metadata, dict) and isinstance(extra, str):
        try:
            metadata = json.loads((folder / extra).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            metadata = None  # names fall back to logical ids; nothing else depends on it
    found: dict[str, str] = {}
    ambiguous: set[str] = set()
    for path, entries in (metadata or {}).items() if isinstance(metadata, dict) else ():
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and entry.get("type") == _LOGICAL_ID:
                logical_id = str(entry.get("data"))
                if found.setdefault(logical_id, path.strip("/")) != path.strip("/"):
                    ambiguous.add(logical_id)
    return {k: v for k, v in found.items() if k not in ambiguous}


def _stack(folder: Path, artifact_id: str, artifact: Mapping[str, Any]) -> StackFile | None:
    properties = artifact.get("properties") or {}
    template = properties.get("templateFile")
    if not isinstance(template, str):
        return None
    display = str(artifact.get("displayName") or artifact_id)
    names = {display, artifact_id, template.removesuffix(".template.json")}
    if isinstance(properties.get("stackName"), str):
        names.add(properties["stackName"])
    return StackFile(
        display=display,
        template=folder / template,
        folder=folder,
        names=frozenset(names),
        artifact_id=artifact_id,
        construct_paths=_construct_paths(folder, artifact),
    )


def _manifest_stacks(folder: Path, seen: set[Path]) -> list[StackFile]:
    if folder.resolve() in seen or not (folder / "manifest.json").is_file():
        return []  # a manifest pointing at itself is read once
    seen.add(folder.resolve())
    manifest = read_json(folder / "manifest.json", "The cloud assembly manifest")
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    stacks: list[StackFile] = []
    for artifact_id, artifact in (artifacts or {}).items():
        if not isinstance(artifact, dict):
            continue
        kind = artifact.get("type")
        if kind == _STACK:
            stack = _stack(folder, artifact_id, artifact)
            stacks.extend([stack] if stack else [])
        elif kind == _NESTED_ASSEMBLY:
            directory = (artifact.get("properties") or {}).get("directoryName")
            nested = folder / str(directory)
            if isinstance(directory, str) and (nested / "manifest.json").is_file():
                stacks.extend(_manifest_stacks(nested, seen))
    return stacks


def assembly_stacks(path: Path) -> tuple[StackFile, ...]:
    """The stacks of the cloud assembly at ``path`` (a folder, or one template file), nested
    assemblies included. Raises ``ValueError`` when there is nothing at ``path``."""
    if path.is_file():
        try:  # its stack as the folder's manifest names it, if it has one
            listed = _manifest_stacks(path.parent, set())
        except ValueError:
            listed = []
        same = [s for s in listed if s.template.resolve() == path.resolve()]
        if same:
            return (same[0],)
        name = path.name.removesuffix(".template.json")
        return (StackFile(name, path, path.parent, frozenset({name}), name),)
    if not path.is_dir():
        raise ValueError(
            f"There is no cloud assembly at {path}: synthesize one first (`make synth` or "
            f"`npx cdk synth`), or give its folder as ASSEMBLY."
        )
    if (path / "manifest.json").is_file():
        return tuple(_manifest_stacks(path, set()))
    return tuple(
        StackFile(stem, file, path, frozenset({stem}), stem)
        for file in sorted(path.glob("*.template.json"))
        if not file.name.endswith(".nested.template.json")  # read through their parents
        for stem in [file.name.removesuffix(".template.json")]
    )


def synthesized_stack(stack: Any) -> tuple[StackFile, Mapping[str, Any]]:
    """A CDK stack as its cloud assembly has it, and its template: its app (stage)
    synthesized, as ``aws_cdk.assertions.Template.from_stack`` does, so nested stack
    templates and assets are files of that folder."""
    from aws_cdk import Stage

    stage = Stage.of(stack)
    if stage is None:
        raise ValueError(
            f"The stack {stack.node.path!r} is not inside an App or Stage; create it in an "
            f"App so it can be synthesized."
        )
    folder = Path(stage.synth(force=True).directory)
    found = [s for s in assembly_stacks(folder) if s.artifact_id == stack.artifact_id]
    template_file = folder / stack.template_file
    entry = found[0] if found else StackFile(str(stack.node.path), template_file, folder)
    return entry, read_json(template_file, "The template")
