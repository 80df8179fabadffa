"""No network while building, and no patient data where it does not belong.

* Sockets are blocked and every template is built in every format registered at run time.
* Handouts are built for invented patients with distinctive names and notes, and every
  artefact is scanned for them: PDF metadata and XMP, the PDF document ID, the payload of
  every QR code (decoded from the rendered pages), log records at DEBUG, what the command
  line prints, and for a batch the manifest files, the file names and every PDF.
* Patient handouts are not readable by other users.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from routinekit import api
from routinekit.model import Patient
from routinekit.plugins.host import PluginHost

ROOT = Path(__file__).resolve().parent.parent
CLINIC = ROOT / "examples" / "clinic.yaml"
DATE = dt.date(2026, 1, 5)

#: invented people; every word here must stay out of metadata, logs, QR codes and manifests
PATIENTS = [
    {"name": "Zelda Quixotic-Marchbanks", "notes": "Lives on Wobblethorpe Lane"},
    {"name": "Bjørn Ødegaard-Xylander", "notes": "Works nights at Plimsoll Yard"},
    {"name": '=HYPERLINK("http://evil.example") Fenwick', "notes": "Prefers Thursdays"},
]
SECRETS = [
    "Zelda",
    "Quixotic",
    "Marchbanks",
    "Wobblethorpe",
    "Bjørn",
    "Ødegaard",
    "Xylander",
    "Plimsoll",
    "HYPERLINK",
    "Fenwick",
    "Thursdays",
]


def leaked(text: str) -> list[str]:
    low = text.lower()
    return [s for s in SECRETS if s.lower() in low]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make every attempt to open a network connection fail, and record it."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args)[:200])
        raise OSError("network access is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == [], f"network access attempted: {attempts}"


def templates(host: PluginHost) -> list[tuple[str, Path]]:
    return sorted((ident, reg.obj.path) for ident, reg in host.templates().items())


def patient(i: int = 0) -> Patient:
    p = PATIENTS[i]
    return Patient(
        name=p["name"], notes=p["notes"], therapist="Dr Quentin Marchbanks-Oddly", date=DATE
    )


# -- no network -------------------------------------------------------------------------------


def test_every_template_in_every_format_builds_offline(
    no_network: list[str], host: PluginHost, tmp_path: Path
) -> None:
    formats = sorted(host.renderers())
    assert "json" in formats
    built = 0
    for ident, path in templates(host):
        for fmt in formats:
            out = tmp_path / f"{ident}.{fmt}"
            data = api.build(
                path, out, patient=patient(), clinic=CLINIC, format=fmt, host=host, date=DATE
            )
            assert data and out.read_bytes() == data
            built += 1
    assert built == len(formats) * len(templates(host)) >= 2


# -- single handouts --------------------------------------------------------------------------


def pdf_artefacts(data: bytes) -> dict[str, str]:
    """Everything in a PDF that is not the printed page: metadata, XMP, ID, QR payloads."""
    import numpy as np
    import pymupdf
    import zxingcpp

    doc = pymupdf.open(stream=data, filetype="pdf")
    found = {
        "metadata": repr(doc.metadata),
        "xmp": doc.get_xml_metadata() or "",
        "trailer": doc.pdf_trailer() or "",
    }
    payloads: list[str] = []
    for page in doc:
        pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
        image = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
        payloads += [b.text for b in zxingcpp.read_barcodes(image)]
    found["qr"] = "\n".join(payloads)
    return found


def test_pdf_metadata_id_and_qr_codes_hold_no_patient_data(
    host: PluginHost, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    qr_seen = 0
    for ident, path in templates(host):
        for i in range(len(PATIENTS)):
            data = api.build(
                path,
                tmp_path / f"{ident}-{i}.pdf",
                patient=patient(i),
                clinic=CLINIC,
                format="pdf",
                host=host,
                date=DATE,
            )
            for where, text in pdf_artefacts(data).items():
                assert leaked(text) == [], f"{ident}: patient data in the PDF {where}"
            qr_seen += len(pdf_artefacts(data)["qr"].splitlines())
    assert qr_seen > 0, "the clinic profile gives videos, so the handouts carry QR codes"
    logs = "\n".join(r.getMessage() for r in caplog.records)
    assert leaked(logs) == []


def test_patient_handouts_are_private_files(host: PluginHost, tmp_path: Path) -> None:
    out = tmp_path / "handout.json"
    api.build(templates(host)[0][1], out, patient=patient(), format="json", host=host, date=DATE)
    assert out.stat().st_mode & 0o077 == 0


def test_command_line_output_holds_no_patient_data(
    run_cli: Callable[..., Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    person = tmp_path / "patient.yaml"
    person.write_text(
        f"name: Zelda Quixotic-Marchbanks\nnotes: {PATIENTS[0]['notes']}\n", encoding="utf-8"
    )
    result = run_cli(
        "build",
        "back-spasm-prevention",
        "--patient",
        person,
        "-f",
        "json",
        "-o",
        tmp_path / "h.json",
        "--explain",
        "--date",
        "2026-01-05",
    )
    assert result.code == 0, result.err
    assert leaked(result.out + result.err) == []
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "name: Zelda Quixotic-Marchbanks\ndoses: {cat-cow: {reps: 900}}\n", encoding="utf-8"
    )
    result = run_cli(
        "build",
        "back-spasm-prevention",
        "--patient",
        broken,
        "-f",
        "json",
        "-o",
        tmp_path / "h2.json",
    )
    assert result.code == 2 and leaked(result.err) == [], result.err
    assert leaked("\n".join(r.getMessage() for r in caplog.records)) == []


# -- batch ------------------------------------------------------------------------------------


def write_patients(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "date", "notes", "exclude"])
        for p in PATIENTS:
            writer.writerow([p["name"], "2026-01-05", p["notes"], "prone"])
        # rows that must fail: their error messages must not repeat the name
        writer.writerow(["Zelda Quixotic-Marchbanks", "2026-02-30", "Wobblethorpe", ""])
        writer.writerow(["Bjørn Ødegaard-Xylander", "2026-01-05", "", "skiing"])


def scan_batch_folder(outdir: Path) -> None:
    files = [p for p in outdir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".pdf" for p in files)
    for p in files:
        assert leaked(p.name) == [], f"patient data in a file name: {p.name}"
        if p.suffix == ".pdf":
            for where, text in pdf_artefacts(p.read_bytes()).items():
                assert leaked(text) == [], f"patient data in {p.name} {where}"
            assert p.stat().st_mode & 0o077 == 0, f"{p.name} is readable by others"
        elif p.suffix in (".jsonl", ".csv", ".json", ".txt", ".log"):
            assert leaked(p.read_text(encoding="utf-8")) == [], f"patient data in {p.name}"


def test_batch_artefacts_hold_no_patient_data(
    no_network: list[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from routinekit.batch.runner import run_batch

    caplog.set_level(logging.DEBUG)
    patients = tmp_path / "patients.csv"
    write_patients(patients)
    outdir = tmp_path / "out"
    summary = run_batch(
        patients, "back-spasm-prevention", outdir, format="pdf", jobs=0, clinic=CLINIC, date=DATE
    )
    assert leaked(repr(summary)) == []
    scan_batch_folder(outdir)
    assert leaked("\n".join(r.getMessage() for r in caplog.records)) == []


def test_batch_command_prints_no_patient_data(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    patients = tmp_path / "patients.csv"
    write_patients(patients)
    outdir = tmp_path / "out"
    result = run_cli(
        "batch",
        patients,
        "-r",
        "back-spasm-prevention",
        "-o",
        outdir,
        "-j",
        "1",
        "-q",
        "--date",
        "2026-01-05",
        "--clinic",
        CLINIC,
    )
    assert result.code == 1, result.err  # two rows fail on purpose
    assert "row" in result.err + result.out
    assert leaked(result.out + result.err) == []
    scan_batch_folder(outdir)
