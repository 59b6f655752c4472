"""The plural Amplify's transformer v2 gives a model's name: npm ``pluralize`` (version 8,
the one the transformer depends on) applied to the whole name.

The rules come from PyPI ``pluralizer``, a port of ``pluralize``. The port adds a few
irregular words that ``pluralize@8`` does not have (``canvas``, and possessives mapped to
``their`` and ``our``); they are taken out again here, so ``Canvas`` lists as
``listCanvas`` and ``Her`` as ``listHers``, as Amplify lists them. The port's extra
uncountables (``fish``, ``deer``, ``chinese`` ...) are already uncountable by
``pluralize``'s own patterns and change nothing. ``tests/schema/test_plurals.py`` checks
the result against the pinned npm package over a corpus of model names.

How the rules read a name: irregular words (``Person``, ``Child``, ``Schema``) and
uncountable words (``Equipment``, ``News``) count only as the whole name; suffix rules act
on the name's end, whatever precedes it (``SalesPerson`` -> ``SalesPeople``,
``UserEquipment`` -> ``UserEquipments``, ``UserData`` -> ``UserData``); a name ending in
``s`` that no rule knows stays as it is (``PostTags``); the added letters take the case of
the letter before them (``UserID`` -> ``UserIDS``).
"""

from __future__ import annotations

from typing import Final

from pluralizer import Pluralizer

__all__ = ["plural"]

# The port's irregular words that pluralize@8 does not have: singular -> plural.
_NOT_IN_PLURALIZE_8: Final = (
    ("canvas", "canvases"),
    ("my", "our"),
    ("its", "their"),
    ("his", "their"),
    ("her", "their"),
)


def _pluralize_8() -> Pluralizer:
    rules = Pluralizer()  # type: ignore[no-untyped-call]  # the package has no annotations
    for single, plural_word in _NOT_IN_PLURALIZE_8:
        rules.irregularSingles.pop(single, None)
        rules.irregularPlurals.pop(plural_word, None)
    return rules


_RULES: Final = _pluralize_8()


def plural(name: str) -> str:
    """``pluralize(name)`` as npm ``pluralize@8`` computes it: ``Post`` -> ``Posts``,
    ``Category`` -> ``Categories``, ``Person`` -> ``People``, ``PostTags`` -> ``PostTags``."""
    found: str = _RULES.plural(name)
    return found
