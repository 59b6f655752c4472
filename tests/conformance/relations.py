"""Generated relation schemas for the relation property test (test_relations.py): a parent
model ``Par`` with every relation the compiler generates today, each child model with
rules drawn like the conformance run's (generate.models), and records whose owners and
groups are drawn from the conformance callers' claims.

- ``Par.kids: [Kid] @hasMany`` (implicit key ``Kid.parKidsId``), ``Kid.par @belongsTo``;
- ``Par.notes: [Note] @hasMany(references: ["parId"])``, ``Note.par`` back by references;
  ``Note.parId`` now and then has rules of its own (a caller who may not read the foreign
  key);
- ``Par.tags: [Tag] @hasMany(indexName: "byPar", fields: ["id"])`` on ``Tag.parRef``'s
  ``@index`` (query ``tagsByPar``), ``Tag.par @belongsTo(fields: ["parRef"])``;
- ``Par.banner: Banner @hasOne(references: ["parId"])``, ``Banner.par`` back by references;
- ``Par.profile: Profile @hasOne`` (``Par`` stores ``parProfileId``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from hypothesis import strategies as st

from .generate import _distinct, models, rules, values
from .model import ApiSpec, ModelSpec, Rule
from .render import model_sdl, rule_sdl

PARENT = "Par"


@dataclass(frozen=True)
class Link:
    """One relation of ``Par`` and the child model it reads."""

    field: str  # Par's relation field
    child: str  # the related model
    fk: str  # the child's (or, for profile, Par's) key field
    many: bool  # a connection (hasMany)
    index: str | None  # the child's query of its index on the key (None: a get by id)
    back: str | None  # the child's @belongsTo


LINKS = (
    Link("kids", "Kid", "parKidsId", True, "kidsByPar", "par"),
    Link("notes", "Note", "parId", True, "notesByPar", "par"),
    Link("tags", "Tag", "parRef", True, "tagsByPar", "par"),
    Link("banner", "Banner", "parId", False, "bannersByPar", "par"),
    Link("profile", "Profile", "parProfileId", False, None, None),
)


@dataclass(frozen=True)
class RelationApi:
    api: ApiSpec  # Par and the children, their own fields and rules
    fk_rules: tuple[Rule, ...] | None  # Note.parId's own rules, or None
    # Kid.parKidsId declared with an @index (else implicit, read directly by a filter).
    kid_index: bool = False

    def model(self, name: str) -> ModelSpec:
        return self.api.model(name)


def _index(name: str) -> str:
    link = next(link for link in LINKS if link.child == name)
    return f'@index(name: "byPar", queryField: "{link.index}")'


def _extra_lines(name: str, spec: RelationApi) -> list[str]:
    if name == PARENT:
        return [
            "  kids: [Kid] @hasMany",
            '  notes: [Note] @hasMany(references: ["parId"])',
            '  tags: [Tag] @hasMany(indexName: "byPar", fields: ["id"])',
            '  banner: Banner @hasOne(references: ["parId"])',
            "  profile: Profile @hasOne",
        ]
    if name == "Kid":
        key = [f"  parKidsId: ID {_index(name)}"] if spec.kid_index else []
        return [*key, "  par: Par @belongsTo"]
    if name in ("Note", "Banner"):
        own = "" if spec.fk_rules is None or name == "Banner" else " " + _auth(spec.fk_rules)
        return [f"  parId: ID {_index(name)}{own}", '  par: Par @belongsTo(references: ["parId"])']
    if name == "Tag":
        return [f"  parRef: ID {_index(name)}", '  par: Par @belongsTo(fields: ["parRef"])']
    return []


def _auth(found: tuple[Rule, ...]) -> str:
    return "@auth(rules: [" + ", ".join(rule_sdl(r) for r in found) + "])"


def relation_sdl(spec: RelationApi) -> str:
    parts = []
    for model in spec.api.models:
        text = model_sdl(model)
        assert text.endswith("\n}")
        lines = _extra_lines(model.name, spec)
        parts.append(text[: -len("}")] + "\n".join(lines) + ("\n}" if lines else "}"))
    return "\n\n".join(parts) + "\n"


# Read rules for every provider: now and then a model every caller kind may read, so that
# the other side of its relations is reached by everyone.
OPEN = (
    Rule("public", "apiKey", ("read",)),
    Rule("private", "userPools", ("read",)),
    Rule("private", "oidc", ("read",)),
    Rule("private", "iam", ("read",)),
    Rule("custom", "function", ("read",)),
)


@st.composite
def _model(draw: st.DrawFn, name: str) -> ModelSpec:
    found = draw(models(name))
    extra: tuple[Rule, ...] = ()
    if draw(st.booleans()):
        extra = tuple(draw(st.lists(st.sampled_from(OPEN), min_size=1, max_size=3, unique=True)))
    return dataclasses.replace(
        found, rules=_distinct([*found.rules, *extra]), index=False, subscriptions=False
    )


@st.composite
def relation_apis(draw: st.DrawFn) -> RelationApi:
    names = (PARENT, *(link.child for link in LINKS))
    found = tuple(draw(_model(name)) for name in names)
    fk_rules = None
    if draw(st.booleans()):
        fk_rules = _distinct(draw(st.lists(rules(True), min_size=1, max_size=2)))
    api = ApiSpec(found, admin=draw(st.booleans()), iam_mode=draw(st.integers(0, 4)) == 0)
    return RelationApi(api, fk_rules, kid_index=draw(st.booleans()))


# -- records ------------------------------------------------------------------------------

Records = dict[str, tuple[dict[str, object], ...]]


@st.composite
def _fields(draw: st.DrawFn, model: ModelSpec, ident: str) -> dict[str, object]:
    record: dict[str, object] = {"id": ident}
    for f in model.fields[1:]:
        if f.kind in ("owner", "groups") and draw(st.integers(0, 5)) == 0:
            continue  # absent
        record[f.name] = draw(values(model, f))
    return record


@st.composite
def relation_records(draw: st.DrawFn, spec: RelationApi) -> Records:
    """Two or three parents; children pointing at one of them (most at the first, so that
    its connections take several pages), at none, or at a missing one; profiles some
    parents point at."""
    parents = [f"p{i}" for i in range(draw(st.integers(2, 3)))]
    targets = st.sampled_from([*parents, parents[0], parents[0], "p-missing", None])
    found: Records = {}
    profiles = [f"pr{i}" for i in range(draw(st.integers(0, 2)))]
    for link in LINKS:
        model = spec.model(link.child)
        count = len(profiles) if link.child == "Profile" else draw(st.integers(0, 7))
        made = []
        for i in range(count):
            prefix = "pr" if link.child == "Profile" else link.child[:2].lower()
            record = draw(_fields(model, f"{prefix}{i}"))
            if link.child != "Profile":
                record[link.fk] = draw(targets)
            made.append(record)
        found[link.child] = tuple(made)
    profile_targets = st.sampled_from([*profiles, "pr-missing", None])
    made = []
    for ident in parents:
        record = draw(_fields(spec.model(PARENT), ident))
        record["parProfileId"] = draw(profile_targets)
        made.append(record)
    found[PARENT] = tuple(made)
    return found
