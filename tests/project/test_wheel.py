"""The wheel: built from the repository, installed with pip into a fresh venv outside the
checkout, it synthesizes the example app (app.py with examples/blog.graphql).

The resolvers (``resolvers/``) and the Lambda authorizer (``lambda_authorizer/``) are not
Python packages of their own: pyproject's force-include puts them inside the package, and
``_paths`` finds them there. This test proves both halves with the real artifacts: the wheel's
file list, the paths the installed code resolves, and a synthesis that can only succeed if the
installed copy (not the checkout) provides them. It takes about a minute, most of it pip
unpacking aws-cdk-lib into the fresh venv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REQUIRED_FILES = (
    "authorized_appsync/__init__.py",
    "authorized_appsync/_paths.py",
    "authorized_appsync/py.typed",
    "authorized_appsync/resolvers/get.js",
    "authorized_appsync/resolvers/plan.js",
    "authorized_appsync/resolvers/lib/rules.js",
    "authorized_appsync/lambda_authorizer/index.py",
    # The node host of the local runtime, beside the module that starts it (local/js/).
    "authorized_appsync/local/js/run_resolver.mjs",
    "authorized_appsync/local/js/pipeline.mjs",
    "authorized_appsync/local/js/appsync_utils.mjs",
)
# The committed template snapshot of the blog example has 23 resolvers (every query, mutation
# and subscription of Post, Comment and Report, and the Post.draftNotes field guard).
MIN_RESOLVERS = 23

PATHS_PROBE = """
import json, sysconfig
import authorized_appsync
from authorized_appsync import _paths
print(json.dumps({
    "package": authorized_appsync.__file__,
    "resolvers": str(_paths.resolvers_dir()),
    "lambda_authorizer": str(_paths.lambda_authorizer_dir()),
    "purelib": sysconfig.get_paths()["purelib"],
}))
"""

# The wheel installs without the `local` extra: the local runtime says which extra it needs.
LOCAL_PROBE = """
import json
try:
    from authorized_appsync.local import LocalAppSync
except ImportError as error:
    print(json.dumps({"type": type(error).__name__, "message": str(error)}))
else:
    print(json.dumps(None))
"""
LOCAL_EXTRA_START = "authorized_appsync.local needs the 'local' extra ("
LOCAL_EXTRA_END = "not installed): pip install 'authorized-appsync[local]'."


def _run(args: list[str], *, cwd: Path, env: dict[str, str], timeout: int) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (
        f"{' '.join(args)} exited with {done.returncode}\n"
        f"--- stdout ---\n{done.stdout[-4000:]}\n--- stderr ---\n{done.stderr[-4000:]}"
    )
    return done.stdout


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would point Python at the checkout or the
    project's venv."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    }
    env.update(extra)
    return env


def _is_within(path: Path, parent: Path) -> bool:
    return path.resolve().is_relative_to(parent.resolve())


def _data_files(names: list[str]) -> list[str]:
    return sorted(n for n in names if not n.endswith(".py") and ".dist-info/" not in n)


def _templates(outdir: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text()) for p in sorted(outdir.glob("*.template.json"))}


def test_wheel_installed_outside_the_checkout_synthesizes_the_example(tmp_path: Path) -> None:
    assert not _is_within(tmp_path, ROOT), f"{tmp_path} must be outside the checkout {ROOT}"
    timings: dict[str, float] = {}
    env = _clean_env()

    # 1. Build the wheel (isolated build: pip fetches hatchling as it would anywhere).
    started = time.monotonic()
    dist = tmp_path / "dist"
    _run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    timings["build"] = time.monotonic() - started
    wheels = list(dist.glob("authorized_appsync-*.whl"))
    assert len(wheels) == 1, wheels
    wheel = wheels[0]

    # 2. Its file list: the non-Python parts travel inside the package, bytecode does not.
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    missing = [name for name in REQUIRED_FILES if name not in names]
    assert not missing, f"{wheel.name} lacks {missing}; its data files: {_data_files(names)}"
    bytecode = [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo"))]
    assert not bytecode, bytecode
    # Nothing lands outside the package (no top-level resolvers/ or lambda_authorizer/).
    top = {n.split("/", 1)[0] for n in names}
    stray = [t for t in top if t != "authorized_appsync" and not t.endswith(".dist-info")]
    assert not stray, stray

    # 3. A fresh venv outside the checkout, without the system site-packages.
    started = time.monotonic()
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path, env=env, timeout=300)
    python = venv / "bin" / "python"
    pyvenv_cfg = (venv / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in pyvenv_cfg, pyvenv_cfg
    timings["venv"] = time.monotonic() - started

    started = time.monotonic()
    _run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        cwd=tmp_path,
        env=env,
        timeout=900,
    )
    timings["install"] = time.monotonic() - started

    # 4. A working directory with only the app and its schema.
    work = tmp_path / "work"
    (work / "examples").mkdir(parents=True)
    shutil.copy2(ROOT / "app.py", work / "app.py")
    shutil.copy2(ROOT / "examples" / "blog.graphql", work / "examples" / "blog.graphql")

    # 5. The installed code finds its folders inside site-packages, not in the checkout.
    paths = json.loads(_run([str(python), "-c", PATHS_PROBE], cwd=work, env=env, timeout=120))
    purelib = Path(paths["purelib"])
    assert _is_within(purelib, venv), paths
    for key in ("package", "resolvers", "lambda_authorizer"):
        found = Path(paths[key])
        assert _is_within(found, purelib), f"{key}: {found} is not inside {purelib}"
        assert not _is_within(found, ROOT), f"{key}: {found} is inside the checkout {ROOT}"
    assert Path(paths["resolvers"]) == purelib / "authorized_appsync" / "resolvers", paths
    assert (
        Path(paths["lambda_authorizer"]) == purelib / "authorized_appsync" / "lambda_authorizer"
    ), paths

    # 6. Without the `local` extra, importing the local runtime is one sentence naming it.
    missing = json.loads(_run([str(python), "-c", LOCAL_PROBE], cwd=work, env=env, timeout=120))
    assert missing is not None, "the local runtime imported without the local extra"
    assert missing["type"] == "LocalExtraMissingError", missing
    assert missing["message"].startswith(LOCAL_EXTRA_START), missing
    assert missing["message"].endswith(LOCAL_EXTRA_END), missing

    # 7. Synthesize the example with the fresh venv's python.
    started = time.monotonic()
    outdir = tmp_path / "cdk.out"
    _run(
        [str(python), "app.py"],
        cwd=work,
        env=_clean_env(
            CDK_OUTDIR=str(outdir),
            CDK_VALIDATION="false",
            JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
            JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="1",
        ),
        timeout=600,
    )
    timings["synth"] = time.monotonic() - started

    templates = _templates(outdir)
    assert "BlogApiStack.template.json" in templates, sorted(p.name for p in outdir.iterdir())
    resources = {
        logical_id: resource
        for template in templates.values()
        for logical_id, resource in template.get("Resources", {}).items()
    }

    # The resolvers: bundled from the installed resolvers/ with their plans embedded.
    resolvers = {k: r for k, r in resources.items() if r["Type"] == "AWS::AppSync::Resolver"}
    with_plan = {k for k, r in resolvers.items() if "const PLAN" in json.dumps(r["Properties"])}
    assert len(resolvers) >= MIN_RESOLVERS, sorted(resolvers)
    assert with_plan == set(resolvers), sorted(set(resolvers) - with_plan)

    # The Lambda authorizer: an asset directory holding the installed index.py.
    functions = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Function"]
    assert len(functions) == 1, functions
    s3_key = functions[0]["Properties"]["Code"]["S3Key"]
    asset = outdir / f"asset.{s3_key.removesuffix('.zip')}"
    assert asset.is_dir(), (s3_key, sorted(p.name for p in outdir.iterdir()))
    assert (asset / "index.py").read_bytes() == (
        ROOT / "lambda_authorizer" / "index.py"
    ).read_bytes()
    assert not any(p.name in {"__pycache__", "README.md"} for p in asset.iterdir())

    shutil.rmtree(venv)  # about 400 MB; kept only when the test fails
    print("wheel test timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
