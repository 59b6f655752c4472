"""The IAM policies of the template's roles, as far as ``appsync:GraphQL`` goes: AppSync
asks an IAM caller's policy before it runs a field, so a role that no policy allows a root
field is refused there, as in AWS (an admin role passes every resolver check but still needs
its grant; seed 003: admin roles are "scoped based on their IAM policy").

Policies are read from the role's inline ``Policies``, ``AWS::IAM::Policy`` and
``AWS::IAM::ManagedPolicy`` resources naming the role, and the role's
``ManagedPolicyArns`` that name a managed policy of the template. Roles the templates do not
define (imported by name or ARN), and AWS managed policies, are unknown here: the runtime
then lets the caller through (``decides`` answers ``None``).

Only root fields (``Query``, ``Mutation``, ``Subscription``) are checked: whether AppSync
also asks for the fields of the types they return is not documented.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

__all__ = ["PolicyCollector", "RolePolicies", "Statement", "role_name_of"]

ROOT_TYPES = frozenset({"Query", "Mutation", "Subscription"})


@dataclass(frozen=True)
class Statement:
    allow: bool
    actions: tuple[str, ...]
    resources: tuple[str, ...]


@cache
def _pattern(glob: str) -> re.Pattern[str]:
    """An IAM wildcard (``*`` any run, ``?`` one character), case-sensitive as for ARNs."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile("".join(parts))


def _matches(globs: tuple[str, ...], value: str, *, ignore_case: bool = False) -> bool:
    if ignore_case:
        value = value.lower()
        globs = tuple(g.lower() for g in globs)
    return any(_pattern(g).fullmatch(value) for g in globs)


@dataclass(frozen=True)
class RolePolicies:
    """Role name (locally: its logical id) -> the statements its policies hold."""

    roles: Mapping[str, tuple[Statement, ...]] = field(default_factory=dict)

    def decides(self, role: str, action: str, resource: str) -> bool | None:
        """Whether the role's policies allow ``action`` on ``resource`` (an explicit Deny
        wins); ``None`` when the role is not defined by the templates."""
        statements = self.roles.get(role)
        if statements is None:
            return None
        found = [
            s
            for s in statements
            if _matches(s.actions, action, ignore_case=True) and _matches(s.resources, resource)
        ]
        return bool(found) and all(s.allow for s in found)


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(str(v) for v in items if v is not None)


def _statements(document: Any) -> list[Statement]:
    raw = document.get("Statement", []) if isinstance(document, Mapping) else []
    found = []
    for item in raw if isinstance(raw, list) else [raw]:
        if not isinstance(item, Mapping) or "NotAction" in item or "NotResource" in item:
            continue  # not expressible here; such a statement is left out
        found.append(
            Statement(
                allow=item.get("Effect") == "Allow",
                actions=_strings(item.get("Action")),
                resources=_strings(item.get("Resource")),
            )
        )
    return found


class PolicyCollector:
    """Gathers statements per role across a stack and its nested stacks."""

    def __init__(self) -> None:
        self._roles: dict[str, list[Statement]] = {}
        self._managed: dict[str, list[Statement]] = {}  # managed policy logical id ->
        self._attached: dict[str, list[str]] = {}  # role -> managed policy logical ids
        self._names: dict[str, str] = {}  # a role's RoleName -> its logical id

    def add(
        self, logical_id: str, kind: str, raw: Mapping[str, Any], evaluate: Callable[[Any], Any]
    ) -> None:
        if kind == "AWS::IAM::Role":
            statements = self._roles.setdefault(logical_id, [])
            name = evaluate(raw.get("RoleName"))
            if isinstance(name, str) and name:
                self._names[name] = logical_id
            for policy in raw.get("Policies") or ():
                statements += _statements(evaluate(policy.get("PolicyDocument")))
            self._attached.setdefault(logical_id, []).extend(
                str(evaluate(arn)) for arn in raw.get("ManagedPolicyArns") or ()
            )
        elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            statements = _statements(evaluate(raw.get("PolicyDocument")))
            if kind == "AWS::IAM::ManagedPolicy":
                self._managed[logical_id] = statements
            for role in _strings(evaluate(raw.get("Roles") or [])):
                self._roles.setdefault(role, []).extend(statements)

    def result(self) -> RolePolicies:
        roles = {}
        for role, statements in self._roles.items():
            attached: Iterable[Statement] = (
                s for name in self._attached.get(role, ()) for s in self._managed.get(name, ())
            )
            roles[role] = (*statements, *attached)
        for name, logical_id in self._names.items():
            roles.setdefault(name, roles[logical_id])  # callers know a named role by its name
        return RolePolicies(roles)


def role_name_of(user_arn: object, account: str | None = None) -> str | None:
    """The role of a role session, as AppSync gives an IAM caller in ``userArn``
    (``arn:<partition>:sts::<acct>:assumed-role/<Role>/<session>``), when the session is of
    ``account`` (any account when ``None``). ``None`` for IAM users and every other principal:
    a user is never governed by a role's policies, whatever it is called or its path."""
    if not isinstance(user_arn, str):
        return None
    fields = user_arn.split(":")
    if len(fields) != 6 or fields[0] != "arn" or fields[2] != "sts" or fields[3]:
        return None
    if account is not None and fields[4] != account:
        return None
    parts = fields[5].split("/")
    if len(parts) == 3 and parts[0] == "assumed-role" and parts[1] and parts[2]:
        return parts[1]
    return None
