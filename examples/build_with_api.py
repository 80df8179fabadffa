"""Build handouts from a script with routinekit's Python API.

    python examples/build_with_api.py [OUTDIR]

Builds the prevention routine for two made-up patients, each with their own exclusions and
dose, using the example clinic profile. Names are printed on the handouts only.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import routinekit
from routinekit.model import Dose, Patient, Range

HERE = Path(__file__).resolve().parent


def main(outdir: Path) -> None:
    patients = [
        Patient(name="Ana García", date=dt.date(2026, 11, 23), therapist="Sam Rivera, PT"),
        Patient(
            name="Νίκος Παπαδόπουλος",
            date=dt.date(2026, 11, 24),
            exclude=("prone",),
            doses={"childs-pose": Dose(hold=Range(20, 30))},
            notes="Use the chair if kneeling hurts.",
        ),
    ]
    outdir.mkdir(parents=True, exist_ok=True)
    for number, patient in enumerate(patients, 1):
        out = outdir / f"handout-{number}.pdf"
        routinekit.build(
            "back-spasm-prevention",
            out,
            patient=patient,
            clinic=HERE / "clinic.yaml",
        )
        print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out"))
