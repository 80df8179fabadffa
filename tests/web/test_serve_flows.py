"""``routinekit serve`` in a real browser: the flows a therapist goes through, keyboard first."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pymupdf
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from webtools import Served, screenshot

ROOT = Path(__file__).resolve().parents[2]
FIVE = ["Cat-Cow", "Walking", "Hip Lift", "Deep Breathing", "Knees to Chest"]


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.get_text().split()) for p in pymupdf.open(stream=data))


def qr_codes(data: bytes) -> list[str]:
    found: list[str] = []
    for page in pymupdf.open(stream=data):
        pix = page.get_pixmap(dpi=150)
        img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
        found += [r.text for r in zxingcpp.read_barcodes(img) if r.format == zxingcpp.QRCode]
    return found


def wait_preview(page: Any) -> None:
    expect(page.locator("#preview-status")).to_have_text(re.compile(r"^Showing"), timeout=30_000)


def wait_new_preview(page: Any, before: list[str]) -> None:
    """Wait until the page pictures differ from ``before`` (the page cannot eval: strict CSP)."""
    for _ in range(300):
        if preview_keys(page) != before and page.locator("#pages img").count():
            return
        page.wait_for_timeout(100)
    raise AssertionError("the preview did not change")


def preview_keys(page: Any) -> list[str]:
    # one call, so pages that come and go while it runs cannot make it wait
    keys: list[str] = page.locator("#pages img").evaluate_all(
        "els => els.map(e => e.getAttribute('src'))"
    )
    return keys


def set_clinic(page: Any, served: Served) -> None:
    page.goto(served.base + "/clinic")
    page.get_by_label("Clinic name").fill("Riverside Physio")
    page.get_by_label("Exercise video links").fill("https://videos.example.org/ex/{id}")
    page.get_by_role("button", name="Save clinic profile").click()
    page.get_by_text("Saved.").wait_for()
    page.goto(served.base + "/")


def test_handout_from_an_empty_routine_by_keyboard(page: Any, served: Served) -> None:
    set_clinic(page, served)
    search = page.get_by_role("searchbox", name="Search exercises")
    for name in FIVE:
        search.focus()
        page.keyboard.type(name.split()[0].lower())
        add = page.get_by_role("button", name=f"Add {name}", exact=True)
        add.focus()
        page.keyboard.press("Enter")
        search.fill("")
    rows = page.locator("#routine li.row .row-name")
    assert rows.all_text_contents() == FIVE
    # reorder by keyboard: Knees to Chest up twice (focus stays on the button), Cat-Cow down once
    up = page.get_by_role("button", name="Move Knees to Chest up")
    up.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    down = page.get_by_role("button", name="Move Cat-Cow down")
    down.focus()
    page.keyboard.press("Space")
    order = ["Walking", "Cat-Cow", "Knees to Chest", "Hip Lift", "Deep Breathing"]
    assert rows.all_text_contents() == order
    page.get_by_label("Patient name").fill("Zoë Łukasiewicz")
    wait_preview(page)
    screenshot(page, "handout")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").focus()
        page.keyboard.press("Enter")
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Zoë Łukasiewicz" in text
    positions = [text.find(n) for n in order]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    codes = qr_codes(data)
    for ident in ("walking", "cat-cow", "knees-to-chest", "hip-lift", "deep-breathing"):
        assert f"https://videos.example.org/ex/{ident}" in codes
    assert "Zoë" not in info.value.suggested_filename


def test_excluding_the_floor_changes_the_preview(page: Any, served: Served) -> None:
    page.goto(served.base + "/?template=back-spasm-acute")
    wait_preview(page)
    before = preview_keys(page)
    floor = page.get_by_role("checkbox", name="floor")
    floor.check()
    wait_new_preview(page, before)
    wait_preview(page)
    left = page.locator("#left-out-list li").all_text_contents()
    assert any("Child's Pose" in t for t in left)
    assert page.locator("#routine li.is-left-out").count() >= 5
    assert page.locator("#warnings li", has_text="shrank").count() == 1
    screenshot(page, "no-floor")
    for word in ("kneeling", "prone", "standing"):
        assert page.get_by_role("checkbox", name=word).count() >= 1


def test_open_and_save_a_routine_file_unchanged(page: Any, served: Served, tmp_path: Path) -> None:
    source = ROOT / "templates" / "back-spasm-prevention.yaml"
    page.get_by_label("Routine file").set_input_files(str(source))
    page.get_by_role("button", name="Open routine").click()
    page.wait_for_selector("#routine li.row")
    assert page.locator("#routine li.row").count() >= 5
    wait_preview(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Save routine").click()
    assert Path(info.value.path()).read_bytes() == source.read_bytes()
    # one change, then save: a routine file the CLI reads, with the new order
    first = page.locator("#routine li.row .row-name").first.text_content()
    page.get_by_role("button", name=f"Move {first} down").click()
    with page.expect_download() as info2:
        page.get_by_role("button", name="Save routine").click()
    changed = tmp_path / "changed.yaml"
    changed.write_bytes(Path(info2.value.path()).read_bytes())
    from routinekit.files.routine_file import load_routine_file

    rf = load_routine_file(changed)
    original = load_routine_file(source)
    ids = [e.id for e in original.routine.exercises]
    ids[0], ids[1] = ids[1], ids[0]
    assert [e.id for e in rf.routine.exercises] == ids
    assert rf.routine.education == original.routine.education


def test_open_a_broken_routine_file_says_where(page: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("routinekit: 1\nid: x\ntitle: X\nexercises:\n  - child-pose\n")
    page.get_by_label("Routine file").set_input_files(str(bad))
    page.get_by_role("button", name="Open routine").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    text = alert.text_content()
    assert "bad.yaml" in text and "line 5" in text and "childs-pose" in text


def test_patient_file_round_trip(page: Any, tmp_path: Path) -> None:
    source = ROOT / "examples" / "patient.yaml"
    page.get_by_label("Patient file").set_input_files(str(source))
    page.get_by_role("button", name="Open patient").click()
    page.wait_for_load_state()
    assert page.get_by_label("Patient name").input_value()
    with page.expect_download() as info:
        page.get_by_role("button", name="Save patient").click()
    assert Path(info.value.path()).read_bytes() == source.read_bytes()
    assert info.value.suggested_filename == "patient.yaml"


def test_a_broken_patient_list_shows_row_errors(page: Any, served: Served, tmp_path: Path) -> None:
    bad = tmp_path / "patients.csv"
    bad.write_text(
        "name,date,exclude\nAnna One,2026-11-02,prone\nBen Two,31/02/2026,\n"
        "Cy Three,2026-11-03,flying\nDee Four,2026-11-04,\n"
    )
    page.goto(served.base + "/batch")
    page.get_by_label("Patient list").set_input_files(str(bad))
    page.get_by_role("button", name="Check the list").click()
    table = page.get_by_role("table", name="Rows with errors")
    table.wait_for()
    cells = table.locator("tbody tr").all_text_contents()
    assert len(cells) == 2
    assert "row 2" in cells[0] and "date" in cells[0]
    assert "row 3" in cells[1] and "flying" in cells[1]
    assert "Ben" not in " ".join(cells)
    screenshot(page, "batch-errors")
    page.get_by_role("button", name="Start the batch").click()
    page.get_by_role("link", name="Download the zip").wait_for(timeout=120_000)
    assert page.locator("#bar").get_attribute("value") == "4"
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the zip").click()
    names = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())).namelist()
    assert "manifest.jsonl" in names
    assert sum(n.endswith(".pdf") for n in names) == 2
    with page.expect_download() as info2:
        page.get_by_role("link", name="Download the manifest").click()
    lines = [json.loads(x) for x in Path(info2.value.path()).read_text().splitlines() if x]
    assert sorted(e["status"] for e in lines) == ["failed", "failed", "ok", "ok"]


def test_my_exercise_is_in_the_library_and_the_cli(page: Any, served: Served) -> None:
    png = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 30), False)
    png.clear_with(200)
    page.goto(served.base + "/exercises")
    page.get_by_label("Name").fill("Wall Slide")
    page.get_by_label("What it is for").fill("Loosen the back while standing.")
    page.get_by_label("Steps (one per line)").fill(
        "Stand with your back to a wall.\nSlide down a little."
    )
    page.get_by_label("Dose").fill("reps 8; per_day 2")
    page.get_by_label("Position").select_option("standing")
    page.get_by_label("Photo (PNG or JPEG)").set_input_files(
        files=[{"name": "wall.png", "mimeType": "image/png", "buffer": png.tobytes("png")}]
    )
    page.get_by_role("button", name="Save exercise").click()
    page.get_by_text("Saved the exercise 'wall-slide'").wait_for()
    stored = served.library / "wall-slide.yaml"
    assert stored.is_file() and (served.library / "wall-slide.png").is_file()
    page.goto(served.base + "/")
    page.get_by_role("searchbox", name="Search exercises").fill("wall")
    page.get_by_role("button", name="Add Wall Slide", exact=True).click()
    wait_preview(page)
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CONFIG_HOME": str(served.config)}
    out = subprocess.run(
        [sys.executable, "-m", "routinekit", "exercises", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert "wall-slide" in out


def test_a_broken_photo_is_refused_beside_its_field(page: Any, served: Served) -> None:
    page.goto(served.base + "/exercises")
    page.get_by_label("Name").fill("Bad Photo")
    page.get_by_label("What it is for").fill("Test.")
    page.get_by_label("Steps (one per line)").fill("One step.")
    page.get_by_label("Photo (PNG or JPEG)").set_input_files(
        files=[
            {"name": "x.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"0" * 50}
        ]
    )
    page.get_by_role("button", name="Save exercise").click()
    error = page.locator("#photo-error")
    error.wait_for()
    assert "could not be read as a picture" in error.text_content()
    assert not (served.library / "bad-photo.yaml").exists()


def test_no_serious_accessibility_violations(page: Any, served: Served) -> None:
    import axe_playwright_python

    axe = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    for path in ("/?template=back-spasm-acute", "/clinic", "/exercises", "/batch"):
        page.goto(served.base + path)
        if path.startswith("/?"):
            wait_preview(page)
        page.evaluate(axe)  # evaluate is not subject to the page's CSP
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], (path, bad)
