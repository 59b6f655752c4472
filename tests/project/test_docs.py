"""User documentation speaks to users: it cites Amplify's and AWS's documentation by name,
never material users do not have (the project's internal seed files, issue numbers, or the
shared design notes), and what it states about the construct is what the construct does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

USER_DOCS = sorted(
    [
        ROOT / "README.md",
        ROOT / "CHANGELOG.md",
        ROOT / "lambda_authorizer" / "README.md",
        ROOT / "resolvers" / "README.md",
        *(p for p in (ROOT / "docs").rglob("*") if p.is_file()),
        *(p for p in (ROOT / "examples").rglob("*") if p.is_file()),
    ]
)

# What users do not have, with what the pattern catches.
FORBIDDEN = {
    # The project's seed files ("seed 003", "seeds/...", "a seed file"), not a random seed.
    "a seed file": re.compile(
        r"\bseeds?\s+\d{3}\b|\bseeds?/|\bseed files?\b|\b\d{3}_[0-9a-f]{16}\b", re.IGNORECASE
    ),
    "an issue number": re.compile(r"\bissues?\s+#?\d+|(?<![\w&/])#\d+\b", re.IGNORECASE),
    "the shared notes": re.compile(
        r"\.\./shared|\bshared/|\b(?:APPSYNC|DESIGN|STYLE)\.md\b", re.IGNORECASE
    ),
}


def _offences(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in FORBIDDEN.items():
            if match := pattern.search(line):
                found.append(f"line {number}: {what} ({match.group(0)!r}): {line.strip()}")
    return found


@pytest.mark.parametrize("path", USER_DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_user_docs_cite_nothing_users_do_not_have(path: Path):
    assert _offences(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "line",
    [
        '(*seed 003: "deny by default"*)',
        "see ../shared/seeds/003_75a29147d71750f3.txt",
        "as issue 3 decided",
        "fixed in #12",
        "the shape of `APPSYNC.md` section 2",
    ],
)
def test_the_check_catches_internal_references(line: str):
    assert _offences(line)


@pytest.mark.parametrize(
    "line",
    [
        "`AUTH_ISSUER` must equal `iss`",
        "Shared secret (UTF-8) for HS256",
        "[Test your rules locally](#test-your-rules-locally)",
        'Amplify docs, "Customize authorization rules"',
    ],
)
def test_the_check_leaves_ordinary_text_alone(line: str):
    assert _offences(line) == []


def test_lambda_authorizer_readme_names_the_runtime_the_construct_deploys():
    from aws_cdk import App, Stack

    from authorized_appsync import DefaultLambdaAuthorizer

    function = DefaultLambdaAuthorizer(
        Stack(App(), "S"),
        "Authorizer",
        jwks_url="https://example.com/jwks.json",
        issuer="https://example.com/",
        audience="client",
    )
    readme = (ROOT / "lambda_authorizer" / "README.md").read_text(encoding="utf-8")
    stated = re.findall(r"deploys it on Lambda's `(python[\d.]+)` runtime", readme)
    assert stated == [function.runtime.name]
    # No other Python runtime is claimed anywhere in it.
    claimed = set(re.findall(r"runtime,? Python (\d+\.\d+)|`python(\d+\.\d+)`", readme))
    assert {v for pair in claimed for v in pair if v} == {function.runtime.name[6:]}
