"""Property: reading records through a relation shows what reading them directly shows
(docs/semantics.md, "Relations": "Reading through a relation is reading the related model
directly ... so it never shows more").

For generated schemas (relations.py: a parent with @hasMany by implicit keys, `references`
and `indexName`, @hasOne by `references` and by a local key, and the children's
@belongsTo; rules for each model drawn like the conformance run's, a foreign key with
rules of its own now and then), generated records and every conformance caller:

- ``getPar(id) { <rel> { items { ... } } }`` against ``list<Child>s(filter: {<fk>: {eq:
  id}})`` or the child's index query: the same items with the same visible fields, the
  same errors per item and field, the same refusal of the field itself;
- a @hasOne by references against the same list: its item is one of them (null: none);
- ``getPar { profile }`` and ``get<Child> { par }`` against ``get<Related>(id: <the key as
  the caller sees it>)``: a key the caller may not read keys nothing;
- paging ``<rel>(limit: 2)`` gives each connected item once, and a token of one parent
  replayed against another shows nothing the other's unpaged read does not.

Here rather than in tests/local: it draws its rules, callers and owner values with the
conformance generators, and runs each API as the conformance runner does. A schema is one
CDK synthesis (seconds), so few schemas, many callers and records each.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from authorized_appsync.local import LocalAppSync

from .generate import roster
from .identity import Identity
from .oracle import Case
from .relation_reads import Answer, Reader, answer
from .relations import LINKS, PARENT, Link, Records, RelationApi, relation_apis, relation_records
from .relations import relation_sdl as sdl
from .runner import caller, running, seed_records, wipe

SCHEMAS = 12
RECORD_SETS = 3  # per schema
FK_DENIED = frozenset({"Note.parId", "Kid.parKidsId", "Par.parProfileId", "Tag.parRef"})


@dataclass
class Count:
    compared: int = 0  # relation reads compared with direct ones
    unreadable: int = 0  # the record holding the relation was not returned
    pages: int = 0
    replays: int = 0  # page tokens of one parent replayed on another
    failures: list[str] = field(default_factory=list)


def callers(spec: RelationApi) -> list[Identity]:
    found = roster(spec.api, spec.model("Kid"))
    return [*found, Identity("lambda", "lambda-no-keys", denied=FK_DENIED)]


def _seed(local: LocalAppSync, spec: RelationApi, records: Records) -> None:
    for name, made in records.items():
        someone = Identity("apiKey")
        seed_records(local, spec.model(name), Case(name, "get", someone, made))


def _wipe(local: LocalAppSync, spec: RelationApi) -> None:
    for model in spec.api.models:
        wipe(local, model)


def _differ(label: str, through: Answer, direct: Answer | None) -> str | None:
    """``direct`` None: the caller sees no key, or the schema has no direct read, so the
    relation must show nothing (AppSync may still refuse the field for the caller's mode)."""
    if direct is None:
        if not through.items and not through.errors:
            return None
        direct = Answer()
    if direct.loose and (through.items, through.errors) == (direct.items, direct.errors):
        return None
    if (through.items, through.errors, through.refused) == (
        direct.items,
        direct.errors,
        direct.refused,
    ):
        return None
    return f"{label}\n  through: {_show(through)}\n  direct:  {_show(direct)}"


def _show(got: Answer) -> str:
    return json.dumps(
        {
            "items": sorted(got.items.elements()),
            "errors": sorted(got.errors.elements()),
            "refused": sorted(got.refused.elements()),
        }
    )


def _single(label: str, through: Answer, direct: Answer | None) -> str | None:
    """A @hasOne by references: the first connected item the caller may read, or null."""
    if direct is None or direct.refused or not direct.items:
        return _differ(label, through, direct)
    if len(through.by_id) != 1 or next(iter(through.by_id)) not in direct.by_id:
        return f"{label}: not one of the connected items\n  through: {_show(through)}\n" + (
            f"  direct:  {_show(direct)}"
        )
    return _differ(label, through, direct.only(next(iter(through.by_id))))


def check_parent(reader: Reader, parent: str, count: Count, label: str) -> dict[str, Answer]:
    """Each relation of ``parent`` against the direct reads; the unpaged connections."""
    response = reader.through_parent(parent)
    shown = (response.get("data") or {}).get("getPar")
    if shown is None:
        count.unreadable += 1
        return {}
    found = {}
    for link in LINKS:
        through = answer(response, ["getPar", link.field], link.many)
        key = shown.get("parProfileId") if link.index is None else parent
        direct = reader.direct_children(link, key)
        where = f"{label} getPar({parent}).{link.field}"
        compare = _single if link.index is not None and not link.many else _differ
        failed = compare(where, through, direct)
        if failed:
            count.failures.append(failed + f"\n  response: {json.dumps(response)}")
        count.compared += 1
        found[link.field] = through
    return found


def check_child(reader: Reader, link: Link, child: str, count: Count, label: str) -> None:
    response = reader.through_child(link, child)
    shown = (response.get("data") or {}).get(f"get{link.child}")
    if shown is None:
        count.unreadable += 1
        return
    through = answer(response, [f"get{link.child}", "par"], False)
    direct = reader.direct_parent(shown.get(link.fk))
    failed = _differ(f"{label} get{link.child}({child}).par", through, direct)
    if failed:
        count.failures.append(failed + f"\n  response: {json.dumps(response)}")
    count.compared += 1


def _ids(page: Mapping[str, Any], link: Link) -> tuple[list[str], str | None]:
    connection = ((page.get("data") or {}).get("getPar") or {}).get(link.field) or {}
    items = connection.get("items") or []
    return [str(i["id"]) for i in items if i], connection.get("nextToken")


def check_pages(
    reader: Reader, parents: list[str], unpaged: dict[str, dict[str, Answer]], count: Count
) -> None:
    """Paging each connection by two gives each connected item once; a token of one parent
    replayed against another gives nothing beyond that other's connection."""
    for link in (link for link in LINKS if link.many):
        tokens: dict[str, str] = {}
        for parent in parents:
            if parent not in unpaged:
                continue
            whole = sorted(i for i in unpaged[parent][link.field].by_id if i != "<null>")
            seen: list[str] = []
            token = None
            for _ in range(10):
                ids, token = _ids(reader.page(link, parent, token), link)
                seen += ids
                count.pages += 1
                if token is None:
                    break
                tokens.setdefault(parent, token)
            if sorted(seen) != whole:
                count.failures.append(f"paging {parent}.{link.field}: {seen} != {whole}")
        for owner, token in tokens.items():
            for other in (p for p in parents if p != owner and p in unpaged):
                ids, _ = _ids(reader.page(link, other, token), link)
                count.replays += 1
                allowed = set(unpaged[other][link.field].by_id)
                if not set(ids) <= allowed:
                    count.failures.append(
                        f"a token of {owner}.{link.field} replayed on {other}: {ids} "
                        f"beyond {sorted(allowed)}"
                    )


def check_all(
    local: LocalAppSync, spec: RelationApi, records: Records, admin: str, count: Count
) -> None:
    parents = [str(r["id"]) for r in records[PARENT]]
    for who in callers(spec):
        reader = Reader(local, spec, caller(local, who, admin))
        unpaged = {}
        for parent in [*parents, "p-missing"]:
            found = check_parent(reader, parent, count, who.name)
            if found:
                unpaged[parent] = found
        for link in (link for link in LINKS if link.back):
            for record in records[link.child]:
                check_child(reader, link, str(record["id"]), count, who.name)
        check_pages(reader, parents, unpaged, count)


@settings(
    max_examples=SCHEMAS,
    derandomize=True,
    database=None,
    # A failure shows its schema and every mismatch; shrinking one re-synthesizes an API
    # per step (minutes).
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(spec=relation_apis(), data=st.data())
def test_reading_through_a_relation_shows_what_reading_directly_shows(
    spec: RelationApi, data: st.DataObject
) -> None:
    count = Count()
    with running(spec.api, "Relations", sdl(spec)) as (local, admin):
        for _ in range(RECORD_SETS):
            records = data.draw(relation_records(spec))
            _seed(local, spec, records)
            try:
                check_all(local, spec, records, admin, count)
            finally:
                _wipe(local, spec)
    shown = "\n\n".join(count.failures[:10])
    tally = f"{count.compared} reads compared, {count.pages} pages, {count.replays} replays"
    assert not count.failures, f"{len(count.failures)} mismatches ({tally}):\n{sdl(spec)}\n{shown}"
