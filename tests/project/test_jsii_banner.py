"""jsii's Node banner: aws-cdk-lib's runtime (jsii) prints an 11-line "Node 20 is
end-of-life" banner on stderr when it starts its node process, unless
``JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION`` lists the node major version. Importing
``authorized_appsync`` sets it to ``20`` when it is unset, so a user's app that imports this
package before aws_cdk prints no banner; a value the user set is kept."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SILENCERS = (
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION",
)
BANNER = "end-of-life"


def _stderr(code: str, **extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in SILENCERS}
    env.update(extra)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_importing_the_construct_prints_no_node_banner():
    bare = _stderr("import aws_cdk")
    if BANNER not in bare:
        node = subprocess.run(
            ["node", "--version"], capture_output=True, text=True, check=False
        ).stdout
        pytest.skip(f"jsii prints no end-of-life banner on node {node.strip()}: nothing to hide")
    ours = _stderr(
        "import authorized_appsync\n"
        "from authorized_appsync import AuthorizedGraphqlApi\n"
        "import aws_cdk\n"
        "aws_cdk.App()\n"
    )
    assert BANNER not in ours, ours
    assert "!!" not in ours, ours


def test_a_value_the_user_set_is_kept():
    code = (
        "import os, sys\nimport authorized_appsync\n"
        "sys.stderr.write(os.environ['JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION'])"
    )
    assert _stderr(code) == "20"
    assert _stderr(code, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="18,20,22") == "18,20,22"
