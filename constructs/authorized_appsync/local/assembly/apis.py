"""The AppSync APIs of a cloud assembly, and the one to run.

An API is named by the construct path of the construct that owns its
``AWS::AppSync::GraphQLApi`` resource: the ``AuthorizedGraphqlApi`` (``Prod/Backend/Api``
for ``AuthorizedGraphqlApi(stack, "Api")`` in the stack ``Backend`` of the stage ``Prod``),
an aws-cdk ``GraphqlApi`` (whose resource is its child ``Resource``), or the resource itself
when it sits directly in a stack. The path comes from the resource's ``aws:cdk:path``
metadata, else from the cloud assembly's manifest, else it is ``<stack>/<logical id>``. An
API is also found by the construct path of its resource and by either path relative to its
stack (``Api`` with ``--stack Prod/Backend``).

Every stack is searched, nested stacks (``AWS::CloudFormation::Stack``) and nested cloud
assemblies (a ``Stage``) included; errors list what exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...appsync import did_you_mean
from .nested import AssemblyAssets, nested_template
from .stacks import StackFile, assembly_stacks, read_json

__all__ = ["PYTHON", "ApiRef", "Flags", "Located", "locate_api", "select_api", "template_apis"]

Template = Mapping[str, Any]
_OWNED = ("Resource", "Api")  # the child ids of an API construct's GraphQLApi resource


@dataclass(frozen=True)
class Flags:
    """How the user names a stack and an API, for the errors' hints."""

    stack: str = "stack="
    api: str = "api="


PYTHON = Flags()  # LocalAppSync's keywords; `serve` has its own


@dataclass(frozen=True)
class ApiRef:
    """One ``AWS::AppSync::GraphQLApi``: ``path`` names it; ``nested``: the logical ids of
    the nested stacks from its stack's template down to the template holding it."""

    path: str
    resource_path: str
    stack: str  # the stack's display name (its construct path)
    nested: tuple[str, ...]
    logical_id: str

    def named(self, name: str) -> bool:
        wanted = name.strip("/")
        return wanted in (self.path, self.resource_path) or f"{self.stack}/{wanted}" in (
            self.path,
            self.resource_path,
        )


@dataclass(frozen=True)
class Located:
    """The API to run: its stack, the stack's template, and the API in it."""

    stack: StackFile
    template: Template
    api: ApiRef
    assets: AssemblyAssets


def _owner(resource_path: str, stack: str) -> str:
    """The construct that owns the resource: its parent when the resource is an API
    construct's ``Resource`` or ``Api`` child (and that parent is not the stack itself)."""
    parent, _, last = resource_path.rpartition("/")
    depth = len(stack.split("/")) if stack else 1
    if last in _OWNED and len(parent.split("/")) > depth:
        return parent
    return resource_path


def template_apis(
    template: Template,
    assets: AssemblyAssets,
    *,
    stack: str,
    construct_paths: Mapping[str, str] | None = None,
) -> list[ApiRef]:
    """The APIs of ``template`` (the stack ``stack``) and of its nested stacks."""
    found: list[tuple[str, tuple[str, ...], str]] = []

    def walk(label: str, body: Template, nested: tuple[str, ...]) -> None:
        for logical_id, resource in (body.get("Resources") or {}).items():
            kind = resource.get("Type") if isinstance(resource, Mapping) else None
            if kind == "AWS::AppSync::GraphQLApi":
                metadata = (resource.get("Metadata") or {}).get("aws:cdk:path")
                known = None if nested else (construct_paths or {}).get(logical_id)
                path = metadata if isinstance(metadata, str) else known
                found.append((str(path or f"{label}/{logical_id}").strip("/"), nested, logical_id))
            elif kind == "AWS::CloudFormation::Stack":
                child = nested_template(label, logical_id, resource, assets)
                walk(f"{label}/{logical_id}", child, (*nested, logical_id))

    walk(stack, template, ())
    owners = [_owner(path, stack) for path, _, _ in found]
    return [
        ApiRef(
            path=owner if owners.count(owner) == 1 else path,  # two under one owner: in full
            resource_path=path,
            stack=stack,
            nested=nested,
            logical_id=logical_id,
        )
        for owner, (path, nested, logical_id) in zip(owners, found, strict=True)
    ]


def _listing(apis: Iterable[ApiRef]) -> str:
    return ", ".join(api.path for api in apis)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def select_api(apis: Sequence[ApiRef], api: str | None, *, where: str, flags: Flags) -> ApiRef:
    """The API named ``api`` among ``apis`` (all of ``where``), or the only one. Raises
    ``ValueError`` with a sentence listing the APIs there are."""
    if api is not None:
        chosen = [a for a in apis if a.named(api)]
        if len(chosen) == 1:
            return chosen[0]
        if not chosen:
            raise ValueError(
                f"{_sentence(where)} has no AppSync API {api.strip('/')!r}; its APIs are "
                f"{_listing(apis) or 'none'} (name one with {flags.api})."
                + did_you_mean(api.strip("/"), [a.path for a in apis])
            )
        raise ValueError(
            f"{api.strip('/')!r} names {len(chosen)} AppSync APIs of {where} "
            f"({_listing(chosen)}); give the whole path with {flags.api}."
        )
    if len(apis) == 1:
        return apis[0]
    if not apis:
        raise ValueError(
            f"{_sentence(where)} has no AppSync API (no AWS::AppSync::GraphQLApi resource)."
        )
    raise ValueError(
        f"{_sentence(where)} holds {len(apis)} AppSync APIs ({_listing(apis)}); name the one "
        f"to run with {flags.api}."
    )


def _stack_apis(stack: StackFile) -> tuple[Template, AssemblyAssets, list[ApiRef]]:
    template = read_json(stack.template, "The template")
    if not isinstance(template, dict):
        raise ValueError(f"The template {stack.template} is not a JSON object.")
    assets = AssemblyAssets.of(stack.folder)
    apis = template_apis(
        template, assets, stack=stack.display, construct_paths=stack.construct_paths
    )
    return template, assets, apis


def locate_api(
    path: Path, stack: str | None = None, api: str | None = None, *, flags: Flags = PYTHON
) -> Located:
    """The API to run of the cloud assembly at ``path``: the one named ``api`` (in the stack
    named ``stack``, when given), or the only one. Raises ``ValueError`` with a sentence
    naming what is wrong and what exists."""
    stacks = assembly_stacks(path)
    names = ", ".join(s.display for s in stacks) or "none"
    chosen = [s for s in stacks if stack is None or s.matches(stack)]
    if not stacks:
        raise ValueError(
            f"{path} holds no stacks (no stack artifact in its manifest.json, no "
            f"*.template.json); synthesize the app into it first (`npx cdk synth`)."
        )
    if not chosen:
        raise ValueError(
            f"{path} has no stack {stack!r}; its stacks are {names} (name one with "
            f"{flags.stack}, or leave it out)."
            + did_you_mean(str(stack), [s.display for s in stacks])
        )
    found: list[tuple[StackFile, Template, AssemblyAssets, ApiRef]] = []
    for candidate in chosen:
        template, assets, apis = _stack_apis(candidate)
        found.extend((candidate, template, assets, a) for a in apis)
    if not found:
        scope = f"The stack {stack!r} of {path}" if stack else f"{path}"
        raise ValueError(
            f"{scope} has no AppSync API (no AWS::AppSync::GraphQLApi resource in "
            f"{'its' if stack else 'any of its'} templates, nested stacks included; "
            f"stacks: {names})."
        )
    where = f"the stack {stack!r} of {path}" if stack else str(path)
    selected = select_api([f[3] for f in found], api, where=where, flags=flags)
    owner, template, assets, ref = next(f for f in found if f[3] is selected)
    return Located(owner, template, ref, assets)
