"""routinekit.renderkit: the words of routinekit's own renderers, public for plugins."""

from __future__ import annotations

import msgspec

from routinekit import renderkit
from routinekit.contracts import RenderOptions
from routinekit.testing import make_host, sample_clinic, sample_handout, sample_patient
from routinekit.text import regimen_text


def test_helpers_word_the_handout_in_its_language() -> None:
    host = make_host()
    en = sample_handout(host, patient=sample_patient(), clinic=sample_clinic())
    es = msgspec.structs.replace(en, language="es")
    assert renderkit.regimen_text(en).startswith("About ")
    assert (
        renderkit.regimen_text(es) == regimen_text(en.regimen, "es") != renderkit.regimen_text(en)
    )
    assert renderkit.long_date(en) == "January 15, 2026"
    assert "enero" in renderkit.long_date(es)
    assert renderkit.prepared_for(en) == "Prepared for Zoë Łukasiewicz on January 15, 2026"
    assert renderkit.contact_parts(en)[:2] == ["555-0100", "www.example-clinic.org"]
    first = en.items[0]
    assert renderkit.dose_text(en, first).startswith("Hold 20-30 seconds")
    assert renderkit.dose_text(es, first).startswith("Mantenga")
    assert renderkit.position_words(es, "supine") != "lying on your back"
    assert renderkit.section_title(en, "self_care") == "Looking after yourself"
    groups = renderkit.red_flag_groups(en)
    assert groups and all(items for _title, items in groups)
    assert renderkit.red_flag_groups(es)[0][0] != groups[0][0]  # headings in Spanish
    assert renderkit.section_title(en, "education") is None
    assert renderkit.words(es)("Another way:") == "Otra forma:"


def test_sections_are_those_with_content_in_the_strategys_order() -> None:
    h = sample_handout(make_host())
    assert renderkit.sections(h) == [
        s for s in h.section_order if s not in ("phases", "tracking_log")
    ]
    assert "tracking_log" in renderkit.sections(h, RenderOptions(tracking_log=True))
    bare = msgspec.structs.replace(h, education=(), self_care=(), red_flags=())
    assert renderkit.sections(bare) == ["exercises"]
