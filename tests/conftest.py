from __future__ import annotations

import sys
from pathlib import Path

# Test helpers that several folders use (acm_notation, resolver_harness) live here; a
# folder's own helpers (schema/validate/validation_harness) live in it, importable because
# pytest puts each test module's folder on sys.path (the default "prepend" import mode:
# no __init__.py, so test module names must be unique across folders).
sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parent.parent
