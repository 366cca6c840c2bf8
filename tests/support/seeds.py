"""Where the five seed documents are, or None: the tests that read them skip without them.

They sit beside the repository (``../shared/seeds``); a clone elsewhere (a CI checkout under
``/tmp``) may still find the team's copy at ``/work/shared/seeds``.
"""

from __future__ import annotations

from pathlib import Path

from support.voila import ROOT

SEED_DIRS = (ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds"))
SEEDS: Path | None = next((d for d in SEED_DIRS if d.is_dir() and any(d.glob("*.txt"))), None)
