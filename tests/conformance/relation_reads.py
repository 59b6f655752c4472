"""Reading the records of a generated relation schema (relations.py) both ways, through
``Par``'s relation fields and directly, and the answers in a form that compares: the items
as a multiset of their visible fields, and the errors as (errorType, item id, field) —
their path relative to the connection or record, with list positions replaced by the id
of the item there, since the order of items and the path's prefix differ between the two
reads."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from authorized_appsync.local import LocalAppSync
from authorized_appsync.local.engine import Caller

from .model import ModelSpec
from .relations import LINKS, PARENT, Link, RelationApi

Path = Sequence[str | int]


@dataclass(frozen=True)
class Answer:
    """A connection or a record as one read returned it (``refused``: errors on the field
    itself, by errorType; ``errors``: (errorType, item id, field, message) below it)."""

    items: Counter[str] = field(default_factory=Counter)
    errors: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    by_id: Mapping[str, str] = field(default_factory=dict)
    # Read without naming the key (see Reader.direct_children): whether the relation is
    # refused is not compared, only what it shows.
    loose: bool = False

    def only(self, *idents: str, loose: bool = False) -> Answer:
        """This answer reduced to the items ``idents`` (a @hasOne's pick among the list)."""
        return Answer(
            Counter({self.by_id[i]: 1 for i in idents}),
            Counter({e: n for e, n in self.errors.items() if e[1] in idents}),
            by_id={i: self.by_id[i] for i in idents},
            loose=loose,
        )


def _dig(data: Any, path: Path) -> Any:
    for step in path:
        if data is None:
            return None
        data = data[step]
    return data


def _full_path(error: Mapping[str, Any]) -> list[str | int]:
    path = list(error.get("path") or [])
    inner = (error.get("errorInfo") or {}).get("path")
    return path + list(inner) if inner else path


def absent(response: Mapping[str, Any]) -> bool:
    """Whether the query was refused as a whole: a field the schema lacks (an operation no
    rule allows is not generated)."""
    errors = response.get("errors") or []
    return response.get("data") is None and any(not e.get("path") for e in errors)


def answer(response: Mapping[str, Any], at: Path, many: bool) -> Answer:
    """The connection (``many``) or record at ``at`` of ``response``."""
    data = _dig(response.get("data"), at)
    items: list[Any] = (data or {}).get("items") or [] if many else ([data] if data else [])
    ids = [str(i.get("id")) if i else "<null>" for i in items]
    shown = [json.dumps(i, sort_keys=True) for i in items]
    errors: Counter[tuple[str, str, str, str]] = Counter()
    refused: Counter[str] = Counter()
    for error in response.get("errors") or []:
        path = _full_path(error)
        if path[: len(at)] != list(at):
            continue
        rest = path[len(at) :]
        kind = str(error.get("errorType"))
        if not rest:
            refused[kind] += 1
            continue
        if many:
            position = rest[1] if rest[0] == "items" and len(rest) > 1 else None
            assert isinstance(position, int), error
            ident, tail = ids[position], rest[2:]
        else:
            ident, tail = ids[0] if ids else "<null>", rest
        message = str(error.get("message"))
        errors[(kind, ident, ".".join(map(str, tail)), message)] += 1
    return Answer(Counter(shown), errors, refused, dict(zip(ids, shown, strict=True)))


def selection(model: ModelSpec, extra: Sequence[str] = ()) -> str:
    return " ".join([f.name for f in model.fields] + list(extra))


def child_selection(spec: RelationApi, link: Link) -> str:
    return selection(spec.model(link.child), [] if link.child == "Profile" else [link.fk])


def parent_selection(spec: RelationApi) -> str:
    return selection(spec.model(PARENT), ["parProfileId"])


@dataclass(frozen=True)
class Reader:
    """One caller reading one API."""

    local: LocalAppSync
    spec: RelationApi
    caller: Caller

    def ask(self, query: str, variables: Mapping[str, Any]) -> Mapping[str, Any]:
        return self.local.graphql(query, dict(variables), auth=self.caller)

    def direct(
        self, query: str, variables: Mapping[str, Any], root: str, many: bool
    ) -> Answer | None:
        """A direct read (None: the schema has no such query, so nothing can be read)."""
        response = self.ask(query, variables)
        return None if absent(response) else answer(response, [root], many)

    def through_parent(self, ident: str) -> Mapping[str, Any]:
        """``getPar`` with every relation of it, unpaged."""
        fields = []
        for link in LINKS:
            sel = child_selection(self.spec, link)
            fields.append(
                f"{link.field}(limit: 1000) {{ items {{ {sel} }} }}"
                if link.many
                else f"{link.field} {{ {sel} }}"
            )
        query = f"query($id: ID!) {{ getPar(id: $id) {{ id parProfileId {' '.join(fields)} }} }}"
        return self.ask(query, {"id": ident})

    def direct_children(self, link: Link, key: str | None) -> Answer | None:
        """The records ``link`` connects to the parent ``key`` (or to the profile ``key``),
        read directly (None: no key)."""
        sel = child_selection(self.spec, link)
        if link.index is None:
            if key is None:
                return None
            query = f"query($id: ID!) {{ get{link.child}(id: $id) {{ {sel} }} }}"
            return self.direct(query, {"id": key}, f"get{link.child}", False)
        if link.child != "Kid" or self.spec.kid_index:
            query = (
                f"query($id: ID!) {{ {link.index}({link.fk}: $id, limit: 1000) "
                f"{{ items {{ {sel} }} }} }}"
            )
            return self.direct(query, {"id": key}, link.index, True)
        root = f"list{link.child}s"
        query = (
            f"query($id: ID!) {{ {root}(filter: {{ {link.fk}: {{ eq: $id }} }}, limit: 1000) "
            f"{{ items {{ {sel} }} }} }}"
        )
        found = self.direct(query, {"id": key}, root, True)
        if found is None or not found.refused:
            return found
        # The filter names a field the model's rules govern, which a caller some field
        # rule admits to records beyond their own may not ask about ("Questions about
        # fields"); the relation's key is answered on the records they read whole. Those
        # are the listed ones whose key they are shown.
        every = self.direct(f"{{ {root}(limit: 1000) {{ items {{ {sel} }} }} }}", {}, root, True)
        if every is None or every.refused:
            return found
        keyed = [
            i for i, shown in every.by_id.items() if (json.loads(shown) or {}).get(link.fk) == key
        ]
        return every.only(*keyed, loose=True)

    def through_child(self, link: Link, ident: str) -> Mapping[str, Any]:
        """``get<Child>`` with its foreign key and its @belongsTo."""
        sel = child_selection(self.spec, link)
        query = (
            f"query($id: ID!) {{ get{link.child}(id: $id) {{ {sel} "
            f"{link.back} {{ {parent_selection(self.spec)} }} }} }}"
        )
        return self.ask(query, {"id": ident})

    def direct_parent(self, key: object) -> Answer | None:
        if key is None:
            return None
        query = f"query($id: ID!) {{ getPar(id: $id) {{ {parent_selection(self.spec)} }} }}"
        return self.direct(query, {"id": key}, "getPar", False)

    def page(self, link: Link, parent: str, token: str | None) -> Mapping[str, Any]:
        query = (
            f"query($id: ID!, $t: String) {{ getPar(id: $id) {{ id "
            f"{link.field}(limit: 2, nextToken: $t) {{ items {{ id }} nextToken }} }} }}"
        )
        return self.ask(query, {"id": parent, "t": token})
