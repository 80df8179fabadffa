"""The handout every benchmark renders, and the patient rows of a batch.

routinekit builds the handout (template + example clinic + one patient); the baselines
render the *same* content from a plain dict (:func:`plain`), so timings, sizes and QR
codes compare like with like. Patient ``i`` differs in name, date and therapist only,
as in a clinic's batch: exercise video URLs repeat across patients.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from routinekit.text import dose_text, regimen_text

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "back-spasm-acute"
CLINIC_FILE = ROOT / "examples" / "clinic.yaml"
PATIENT_FILE = ROOT / "examples" / "patient.yaml"
START = dt.date(2026, 1, 5)

FIRST = [
    "Zoë",
    "Liam",
    "José",
    "Amelia",
    "Дмитрий",
    "Olivia",
    "Ελένη",
    "Noah",
    "Priya",
    "Chloé",
    "Łucja",
    "Mateo",
    "Aisha",
    "Oscar",
    "Renée",
    "Henry",
    "Søren",
    "Mia",
]
LAST = [
    "Łukasiewicz",
    "Núñez",
    "Okafor",
    "Müller",
    "Иванов",
    "O'Brien",
    "Παπαδοπούλου",
    "Nguyen",
    "Kowalski",
    "García",
    "Johansson",
    "Dubois",
    "Kim",
    "Rossi",
    "Schröder",
]
THERAPISTS = ["Dr. Sam Rivera, PT", "Maria Alvarez, PT, DPT", "Jonas Berg, PT"]


def patient_row(i: int) -> dict[str, str]:
    """Row ``i`` of the benchmark's patient list (what a clinic's CSV export holds)."""
    return {
        "name": f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST) + 7 * i) % len(LAST)]}",
        "date": (START + dt.timedelta(days=i % 365)).isoformat(),
        "therapist": THERAPISTS[i % len(THERAPISTS)],
    }


def write_patients_csv(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["name", "date", "therapist"])
        w.writeheader()
        for i in range(rows):
            w.writerow(patient_row(i))
    return path


VARIED_EXCLUDE = ["", "prone", "rotation", "cat-cow", "floor", "childs-pose", "kneeling"]
VARIED_DOSE = ["knees-to-chest", "supine-spinal-rotation", "cat-cow", "prone-on-elbows"]


def write_varied_csv(path: Path, rows: int) -> Path:
    """Rows that all differ in exclusions and doses (and name, date, therapist)."""
    fields = ["name", "date", "therapist", "exclude", *(f"dose:{e}" for e in VARIED_DOSE)]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for i in range(rows):
            row: dict[str, str] = {**patient_row(i), "exclude": VARIED_EXCLUDE[i % 7]}
            for k, ex in enumerate(VARIED_DOSE):
                row[f"dose:{ex}"] = f"hold {10 + (i * (k + 3)) % 50}; reps {2 + (i + k) % 4}"
            w.writerow(row)
    return path


def routinekit_inputs(strategy: str | None = None) -> tuple[Any, Any, Any]:
    """(routine file, clinic profile, host) loaded once, as a batch loads them."""
    from routinekit import api
    from routinekit.plugins.host import get_host

    host = get_host()
    return api.load_routine(TEMPLATE, host=host), api.load_clinic(CLINIC_FILE), host


def usable_strategy(rf: Any, host: Any) -> str | None:
    """The template's own strategy if it is installed, else ``as-written`` (said in the report)."""
    wanted = rf.routine.strategy.id
    return None if wanted in host.strategies() else "as-written"


def build_result(i: int, rf: Any, clinic: Any, host: Any, strategy: str | None) -> Any:
    """routinekit's pipeline (everything but drawing) for patient ``i``."""
    from routinekit import api
    from routinekit.model import Patient

    row = patient_row(i)
    patient = Patient(
        name=row["name"], date=dt.date.fromisoformat(row["date"]), therapist=row["therapist"]
    )
    return api.build_handout(rf, patient=patient, clinic=clinic, strategy=strategy, host=host)


def plain(handout: Any) -> dict[str, Any]:
    """The handout as plain data for the baselines (no routinekit import needed to draw it)."""
    clinic = handout.clinic
    patient = handout.patient
    contact = [x for x in (clinic.phone, clinic.website, clinic.address) if x] if clinic else []
    groups = []
    for g in handout.groups:
        items = []
        for it in g.items:
            ex = it.exercise
            items.append(
                {
                    "number": it.number,
                    "name": ex.name,
                    "objective": ex.objective,
                    "steps": list(ex.steps),
                    "dose": dose_text(it.dose),
                    "cautions": list(ex.cautions),
                    "alternatives": [a.text for a in ex.alternatives],
                    "note": it.note,
                    "url": it.video_url,
                }
            )
        groups.append({"title": g.title, "intro": g.intro, "items": items})
    return {
        "title": handout.title,
        "condition": handout.condition,
        "clinic": clinic.name if clinic else None,
        "contact": contact,
        "patient": patient.name if patient else None,
        "therapist": patient.therapist if patient else None,
        "date": handout.date.strftime("%B %-d, %Y"),
        "video_url": handout.video_url,
        "regimen": regimen_text(handout.regimen),
        "education": [{"heading": e.heading, "text": e.text} for e in handout.education],
        "self_care": list(handout.self_care),
        "red_flags": [getattr(f, "text", f) for f in handout.red_flags],
        "phases": [{"name": p.name, "move_on": p.move_on} for p in handout.phases],
        "groups": groups,
        "tracking": (
            [handout.tracking_log.days, handout.tracking_log.sessions_per_day]
            if handout.tracking_log
            else None
        ),
    }


def personalise(content: dict[str, Any], i: int) -> dict[str, Any]:
    """The baselines' per-row step: the same handout for patient ``i``."""
    row = patient_row(i)
    out = dict(content)
    out["patient"] = row["name"]
    out["therapist"] = row["therapist"]
    out["date"] = dt.date.fromisoformat(row["date"]).strftime("%B %-d, %Y")
    return out


def expected_urls(content: dict[str, Any]) -> set[str]:
    urls = {it["url"] for g in content["groups"] for it in g["items"] if it["url"]}
    if content["video_url"]:
        urls.add(content["video_url"])
    return urls


def dump_content(path: Path, strategy_note: list[str]) -> dict[str, Any]:
    """Build patient 0 with routinekit and save it as the baselines' input."""
    rf, clinic, host = routinekit_inputs()
    strategy = usable_strategy(rf, host)
    if strategy:
        strategy_note.append(
            f"template strategy '{rf.routine.strategy.id}' not installed; used '{strategy}'"
        )
    content = plain(build_result(0, rf, clinic, host, strategy).handout)
    path.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    return content
