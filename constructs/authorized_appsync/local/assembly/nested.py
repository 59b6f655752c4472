"""Files of a cloud assembly that a template points at: nested stack templates and Lambda
code. A template names them by where they will be published (an S3 URL or key holding the
asset's hash); the assembly's asset manifests (``*.assets.json``) map each asset to its file
in the assembly folder. CDK's ``aws:asset:path`` metadata, when present, is used too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["AssemblyAssets", "nested_template"]

_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass
class AssemblyAssets:
    """The file assets of the cloud assembly in ``folder`` (none without a folder)."""

    folder: Path | None
    by_key: dict[str, Path] = field(default_factory=dict)  # published object key -> file
    by_hash: dict[str, Path] = field(default_factory=dict)  # asset hash -> file
    manifests: tuple[str, ...] = ()
    templates: dict[Path, Mapping[str, Any]] = field(default_factory=dict)  # read once

    @classmethod
    def of(cls, folder: Path | None) -> AssemblyAssets:
        assets = cls(folder)
        if folder is None:
            return assets
        names = []
        for manifest in sorted(folder.glob("*.assets.json")):
            try:
                files = json.loads(manifest.read_text(encoding="utf-8")).get("files") or {}
            except (OSError, ValueError, AttributeError):
                continue  # not a manifest this runtime can read; other lookups remain
            names.append(manifest.name)
            for asset_hash, entry in files.items():
                source = (entry.get("source") or {}).get("path")
                if not isinstance(source, str):
                    continue  # built by a command at publish time: no file here
                path = folder / source
                assets.by_hash[asset_hash] = path
                for destination in (entry.get("destinations") or {}).values():
                    key = destination.get("objectKey")
                    if isinstance(key, str):
                        assets.by_key[key] = path
        assets.manifests = tuple(names)
        return assets

    def find(self, reference: Any, resource: Mapping[str, Any]) -> Path | None:
        """The file of the asset ``reference`` (a TemplateURL, a Lambda ``Code``) names, or
        that ``resource``'s ``aws:asset:path`` metadata names."""
        text = json.dumps(reference)
        for key, path in self.by_key.items():
            if key in text:
                return path
        for found in _HASH.findall(text):
            if found in self.by_hash:
                return self.by_hash[found]
        metadata = (resource.get("Metadata") or {}).get("aws:asset:path")
        if isinstance(metadata, str) and self.folder is not None:
            return self.folder / metadata
        return None

    def describe(self) -> str:
        """Where the lookup looked, for error messages."""
        if not self.manifests:
            return "it has no asset manifest (*.assets.json)"
        return f"none of its asset manifests ({', '.join(self.manifests)}) names it"


def nested_template(
    stack_name: str, logical_id: str, resource: Mapping[str, Any], assets: AssemblyAssets
) -> Mapping[str, Any]:
    """The template of the nested stack ``logical_id`` (an ``AWS::CloudFormation::Stack``
    of ``stack_name``). Raises ``ValueError`` with a sentence saying what is missing."""
    url = (resource.get("Properties") or {}).get("TemplateURL")
    where = f"The nested stack {logical_id} of {stack_name}"
    if assets.folder is None:
        raise ValueError(
            f"{where} has its template in a separate file of the cloud assembly; load the "
            f"API with LocalAppSync.from_assembly(path) or LocalAppSync.from_stack(stack), "
            f"or give the assembly folder (from_template(template, assembly=path))."
        )
    path = assets.find(url, resource)
    if path is None:
        raise ValueError(
            f"{where} has no template in the cloud assembly {assets.folder}: its TemplateURL "
            f"{json.dumps(url)} names an asset but {assets.describe()}. Synthesize the app "
            f"again and load the whole assembly folder."
        )
    if path in assets.templates:
        return assets.templates[path]
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(
            f"{where} has its template at {path} (named by the asset manifest), which cannot "
            f"be read ({error.strerror or error}); synthesize the app again."
        ) from None
    except ValueError as error:
        raise ValueError(
            f"{where} has its template at {path}, which is not JSON: {error}."
        ) from None
    if not isinstance(body, dict):
        raise ValueError(f"{where} has its template at {path}, which is not a JSON object.")
    assets.templates[path] = body
    return body
