from __future__ import annotations

import sys
from pathlib import Path

# Test helpers (acm_notation, validation_harness) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parent.parent
