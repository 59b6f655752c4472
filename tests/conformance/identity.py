"""Callers as the oracle sees them, and what each rule admits (docs/semantics.md,
"Strategies and providers", "IAM", "Resolvers: who is calling", "Resolvers: owners and
groups"). Standard library only."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from .model import ApiSpec, Rule

Record = Mapping[str, object]

# kind -> the provider its rules are written with.
PROVIDER = {
    "apiKey": "apiKey",
    "userPools": "userPools",
    "oidc": "oidc",
    "iamAuth": "iam",
    "iamUnauth": "iam",
    "iamAdmin": "iam",
    "iamOther": "iam",
    "lambda": "function",
}


@dataclass(frozen=True)
class Identity:
    kind: str  # a key of PROVIDER
    name: str = ""  # a label for reports
    sub: str | None = None
    username: str | None = None
    claims: tuple[tuple[str, object], ...] = ()  # further token claims (user_id, groups)
    denied: frozenset[str] = field(default_factory=frozenset)  # Lambda: "Type.field"

    @property
    def provider(self) -> str:
        return PROVIDER[self.kind]

    def claim(self, name: str) -> object:
        return dict(self.claims).get(name)


def is_admin(api: ApiSpec, who: Identity) -> bool:
    """ "Admin roles have full access (no rule, field or condition check)"; with the IAM
    authorization mode, an IAM caller without an identity pool "also has full access"."""
    return (who.kind == "iamAdmin" and api.admin) or (who.kind == "iamOther" and api.iam_mode)


def owner_identities(rule: Rule, who: Identity) -> list[str]:
    """ "Owner identities, most specific first", without any value holding `::` alone."""
    if who.provider != rule.provider:
        return []
    claim = rule.identity_claim
    if claim != "sub::username":
        # "with one claim ("user_id"), its value"; the generator names no joined claim.
        one = who.sub if claim == "sub" else _text(who.claim(claim))
        return [one] if one and "::" not in one else []
    found: list[str] = []
    # "forms missing a part are dropped"; "the joined value only when every part but the
    # last is free of `::`"; the bare parts only without `::`.
    if who.sub and who.username and "::" not in who.sub:
        found.append(f"{who.sub}::{who.username}")
    found.extend(p for p in (who.sub, who.username) if p and "::" not in p)
    return found


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def groups_of(rule: Rule, who: Identity) -> list[str]:
    """ "Groups come from groupClaim ...: a list, a string holding a JSON array (OIDC), or
    another non-empty string as one group"."""
    if who.provider != rule.provider:
        return []
    value = who.claim(rule.group_claim)
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        value = parsed if isinstance(parsed, list) else ([value] if value else [])
    if not isinstance(value, list | tuple):
        return []
    return [g for g in value if isinstance(g, str)]


def mode_matches(rule: Rule, who: Identity) -> bool:
    """ "A rule applies only to callers of its own provider"; IAM rules only to the identity
    pool's roles: public the unauthenticated one, private the authenticated one."""
    if rule.provider != who.provider:
        return False
    if rule.provider == "iam":
        wanted = "iamUnauth" if rule.allow == "public" else "iamAuth"
        return who.kind == wanted
    return True


def could_admit(rule: Rule, who: Identity) -> bool:
    """Whether the rule admits ``who`` on some record (statically, or a predicate ``who``
    has the claims for)."""
    if not mode_matches(rule, who):
        return False
    if rule.allow == "owner":
        return bool(owner_identities(rule, who))
    if rule.allow == "groups":
        mine = groups_of(rule, who)
        return bool(mine) if rule.groups_field else any(g in rule.groups for g in mine)
    return True


def admits_static(rule: Rule, who: Identity) -> bool:
    return not rule.is_predicate and could_admit(rule, who)


def admits(rule: Rule, who: Identity, record: Record | None) -> bool:
    """The rule admits ``who`` on ``record`` (``None``: without a record, statically)."""
    if not could_admit(rule, who) or (rule.is_predicate and record is None):
        return False
    if not rule.is_predicate or record is None:
        return True
    if rule.allow == "owner":
        mine, stored = owner_identities(rule, who), record.get(rule.owner_field)
    else:
        assert rule.groups_field is not None
        mine, stored = groups_of(rule, who), record.get(rule.groups_field)
    # "A scalar owner field matches one of them, a list contains one" (groups alike).
    if isinstance(stored, list):
        return any(v in mine for v in stored)
    return stored in mine


def covers(by: Rule, rule: Rule, siblings: tuple[Rule, ...] = ()) -> bool:
    """Whether ``by`` (with ``siblings``, the other rules of its set, for static groups)
    admits every caller ``rule`` admits ("Partial readers": the same rule, operations
    aside; `private` of the same user pool or OIDC provider; static groups named between
    the rules of the same provider and groupClaim). Nothing else counts."""
    if by.provider != rule.provider:
        return False
    if by.allow == "private" and rule.provider in ("userPools", "oidc"):
        return rule.allow in ("private", "owner", "groups")
    if rule.allow == "groups" and rule.groups_field is None:
        if by.allow != "groups" or by.groups_field is not None:
            return False
        named = {
            g
            for r in (by, *siblings)
            if r.allow == "groups"
            and r.groups_field is None
            and r.provider == rule.provider
            and r.group_claim == rule.group_claim
            for g in r.groups
        }
        return set(rule.groups) <= named
    same = ("allow", "provider", "owner_field", "identity_claim", "groups_field", "group_claim")
    return all(getattr(by, a) == getattr(rule, a) for a in same)
