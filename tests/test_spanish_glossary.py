"""The Spanish keeps to docs/glossary-es.md: none of the phrasings the review found wrong, and
no masculine form that assumes the patient's gender (issue #15.5)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from routinekit.builtins.templates import TEMPLATE_DIR
from routinekit.files.routine_file import load_routine_file
from routinekit.i18n import LOCALE_DIR
from routinekit.library import BUILTIN_FILE, load_exercise_file

#: Phrasings the review found misleading or unnatural, and what the glossary says instead.
WRONG = {
    "Casi seguro que no": "Lo más probable es que no",
    "cargar algo cansado": "levantar peso con los músculos cansados",
    "descansos seguidos": "descansos con frecuencia",
    "entumec": "rigidez (adormecimiento is numbness, a red flag)",
    "Arquee la espalda hacia el techo": "Redondee la espalda hacia arriba",
    "hombros planos": "hombros apoyados en el suelo",
    "se sientan bien": "le resulten cómodos",
    "parte baja de las piernas": "las pantorrillas",
    "Empuje boca abajo": "Elevación del pecho boca abajo",
    "cuatro patas": "a gatas / apoye las manos y las rodillas",
}
#: Words that agree with the patient and assume a man (the exercise's own name may use them).
MASCULINE = re.compile(
    r"\b(sentado|acostado|apoyado|dormido|quieto|derecho como|sentarse derecho|"
    r"ponerse derecho|listo|seguro de)\b",
    re.IGNORECASE,
)


def spanish_texts() -> Iterator[tuple[str, str]]:
    for ex in load_exercise_file(BUILTIN_FILE):
        t = ex.translations.get("es")
        assert t is not None, ex.id
        for field in ("objective",):
            if getattr(t, field):
                yield f"{ex.id}.{field}", getattr(t, field)
        for i, s in enumerate((*(t.steps or ()), *(t.cautions or ()), *(t.alternatives or ()))):
            yield f"{ex.id}[{i}]", s
    for path in sorted(Path(TEMPLATE_DIR).glob("*.yaml")):
        r = load_routine_file(path).routine
        rt = r.translations["es"]
        for i, e in enumerate(rt.education or ()):
            yield f"{r.id}.education[{i}]", f"{e.heading} {e.text}"
        for name in ("self_care", "red_flags"):
            for i, s in enumerate(getattr(rt, name) or ()):
                yield f"{r.id}.{name}[{i}]", s if isinstance(s, str) else s.text
        for k, v in rt.notes.items():
            yield f"{r.id}.notes.{k}", v
        for i, p in enumerate(rt.phases or ()):
            yield f"{r.id}.phases[{i}]", " ".join(x for x in (p.name, p.when, p.move_on) if x)
    with open(LOCALE_DIR / "es" / "LC_MESSAGES" / "routinekit.po", "rb") as f:
        for m in read_po(f):
            if m.id:
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                for s in strings:
                    yield f"catalog {m.id!r}", s


TEXTS = list(spanish_texts())


def test_there_is_spanish_to_check() -> None:
    assert len(TEXTS) > 150


@pytest.mark.parametrize("wrong", sorted(WRONG))
def test_no_phrasing_the_review_found_wrong(wrong: str) -> None:
    found = [where for where, text in TEXTS if wrong.lower() in text.lower()]
    assert found == [], f"write {WRONG[wrong]!r} instead of {wrong!r} in {found}"


def test_the_patient_is_addressed_without_assuming_gender() -> None:
    found = [(where, m.group(0)) for where, text in TEXTS for m in MASCULINE.finditer(text)]
    assert found == []
