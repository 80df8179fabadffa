"""Check that every provenance quote appears in its seed document.

    .venv/bin/python tools/check_seed_quotes.py /path/to/seeds   # exit 1 on a quote not found

The seed documents are not part of the repository, so this is a tool for whoever edits the
clinical content (run it with the seeds at hand), not a test. Whitespace and typographic
quotes are normalised before comparing.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from routinekit.content import builtin_facts  # noqa: E402


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return re.sub(r"\s+", " ", text.replace("\u201d", '"')).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", type=Path, help="the folder holding 000_*.txt .. 004_*.txt")
    args = parser.parse_args()
    seeds = {
        p.name[:3]: normalise(p.read_text(encoding="utf-8")) for p in args.seeds.glob("0*.txt")
    }
    checked = bad = 0
    for fact in builtin_facts():
        for s in fact.sources:
            if s.seed is None or s.quote is None:
                continue
            checked += 1
            if normalise(s.quote) not in seeds.get(s.seed, ""):
                bad += 1
                print(f"{fact.where}: seed {s.seed} has no {s.quote!r}")
    print(f"{checked} quotes checked, {bad} not found")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
