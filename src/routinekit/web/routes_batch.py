"""Batch on the page: upload a patient list, see every row's errors, run, download the zip.

The batch itself is :func:`routinekit.batch.run_batch`, exactly as ``routinekit batch`` runs
it. A batch needs its list and its handouts on disk while it runs: they go in a private
folder (owner-only) that is deleted when you press "Delete these files" or stop the server.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from routinekit.errors import PluginError, UserError
from routinekit.library import library_for
from routinekit.web.forms import MAX_LIST_UPLOAD, checked_form, upload_bytes, upload_name
from routinekit.web.pages import render_page
from routinekit.web.routes_editor import refusable, state_of

SUFFIXES = {".csv", ".jsonl", ".ndjson", ".json", ".yaml", ".yml"}
_folders: set[Path] = set()
_folders_lock = threading.Lock()


@dataclass
class RowCheck:
    row: int
    line: int | None
    error: str | None


@dataclass
class Job:
    id: str
    folder: Path
    patients: Path
    routine: str
    routine_title: str
    fmt: str
    rows: list[RowCheck] = field(default_factory=list)
    started: bool = False
    finished: bool = False
    error: str | None = None
    summary: str = ""
    failed: int = 0
    written: int = 0
    zip_path: Path | None = None

    @property
    def outdir(self) -> Path:
        return self.folder / "out"

    @property
    def bad_rows(self) -> list[RowCheck]:
        return [r for r in self.rows if r.error]

    def done(self) -> int:
        from routinekit.batch.manifest import MANIFEST_NAME

        path = self.outdir / MANIFEST_NAME
        if self.finished:
            return len(self.rows)
        try:
            with path.open("rb") as fh:
                return min(len(self.rows), sum(1 for line in fh if line.strip()))
        except OSError:
            return 0


def _private_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="routinekit-batch-"))  # mode 0700
    with _folders_lock:
        _folders.add(folder)
    return folder


def clean_up() -> None:
    """Delete every batch folder this server made (at exit)."""
    with _folders_lock:
        for folder in list(_folders):
            shutil.rmtree(folder, ignore_errors=True)
            _folders.discard(folder)


atexit.register(clean_up)


def _shown(text: str, job: Job) -> str:
    """An error with the private folder's path replaced by plain words."""
    return text.replace(str(job.patients), "patient list").replace(str(job.folder), "the batch")


def check_rows(job: Job, host: Any) -> None:
    """Read every row the way the batch will, and note each row's problem (before starting)."""
    from routinekit.api import load_routine
    from routinekit.batch.convert import RowConverter
    from routinekit.batch.rows import PatientList

    rf = load_routine(job.routine, host=host)
    job.routine_title = rf.routine.title
    plist = PatientList(job.patients)
    converter = RowConverter(
        plist.path,
        known_ids=[e.id for e in library_for(host)],
        date=dt.date.today(),
        routine_id=rf.routine.id,
    )
    if plist.columns is not None:
        converter.check_header(plist.columns)
    for raw in plist:
        try:
            converter.convert(raw)
            job.rows.append(RowCheck(raw.row, raw.line, None))
        except UserError as exc:
            job.rows.append(RowCheck(raw.row, raw.line, _shown(exc.one_line(), job)))


def _templates(st: Any) -> list[tuple[str, str]]:
    return [(tid, reg.obj.title) for tid, reg in sorted(st.host().templates().items())]


async def batch_page(request: Request) -> Response:
    st = state_of(request)
    return render_page(
        request, "batch.html", {"job": None, "templates": _templates(st), "message": None}
    )


@refusable
async def batch_check(request: Request) -> Response:
    form = await checked_form(request)
    st = state_of(request)
    routine = str(form.get("routine") or "")
    fmt = "html" if form.get("format") == "html" else "pdf"
    templates = _templates(st)
    message = None
    job: Job | None = None
    try:
        if routine not in {t for t, _ in templates}:
            raise UserError("choose a routine for the batch")
        data = await upload_bytes(form, "patients", limit=MAX_LIST_UPLOAD, what="patient list")
        if data is None:
            raise UserError("no patient list chosen", hint="choose a CSV, JSON or YAML file")
        suffix = Path(upload_name(form, "patients", "patients.csv")).suffix.lower()
        if suffix not in SUFFIXES:
            raise UserError(
                "a patient list must be CSV, JSON Lines, JSON or YAML, "
                f"not '{suffix or 'no suffix'}'",
                hint="export it from your spreadsheet as CSV",
            )
        folder = _private_folder()
        patients = folder / f"patients{suffix}"
        patients.write_bytes(data)
        patients.chmod(0o600)
        job = Job(
            id=secrets.token_urlsafe(12),
            folder=folder,
            patients=patients,
            routine=routine,
            routine_title=routine,
            fmt=fmt,
        )
        await run_in_threadpool(check_rows, job, st.host())
        st.batches[job.id] = job
    except (UserError, PluginError) as exc:
        text = exc.one_line()
        if job is not None:
            text = _shown(text, job)
            shutil.rmtree(job.folder, ignore_errors=True)
            job = None
        message = text
    ctx = {"job": job, "templates": templates, "message": message}
    return render_page(request, "batch.html", ctx, status=200 if message is None else 400)


def _job(request: Request) -> Job | None:
    job: Job | None = state_of(request).batches.get(request.path_params["job"])
    return job


async def batch_job(request: Request) -> Response:
    job = _job(request)
    if job is None:
        return RedirectResponse("/batch", status_code=303)
    return render_page(
        request,
        "batch.html",
        {"job": job, "templates": _templates(state_of(request)), "message": None},
    )


def _run(job: Job, clinic: Path | None) -> None:
    from routinekit.batch import run_batch

    try:
        summary = run_batch(
            job.patients, job.routine, job.outdir, format=job.fmt, jobs=0, zip=True, clinic=clinic
        )
        job.summary = _shown(summary.line(), job).split("; manifest:")[0]
        job.failed, job.written = summary.failed, summary.written
        job.zip_path = summary.zip if isinstance(summary.zip, Path) else None
    except (UserError, PluginError) as exc:
        job.error = _shown(exc.one_line(), job)
    except Exception as exc:  # a bug: say so on the page, not silently
        job.error = f"the batch stopped: {type(exc).__name__}"
    finally:
        job.finished = True


@refusable
async def batch_start(request: Request) -> Response:
    await checked_form(request)
    job = _job(request)
    if job is None:
        return RedirectResponse("/batch", status_code=303)
    if not job.started:
        job.started = True
        st = state_of(request)
        clinic = st.clinic_path()
        thread = threading.Thread(
            target=_run, args=(job, clinic if clinic.is_file() else None), daemon=True
        )
        thread.start()
    return RedirectResponse(f"/batch/{job.id}", status_code=303)


async def batch_status(request: Request) -> Response:
    job = _job(request)
    if job is None:
        return JSONResponse({"error": "no such batch"}, status_code=404)
    return JSONResponse(
        {
            "done": job.done(),
            "total": len(job.rows),
            "finished": job.finished,
            "summary": job.summary,
            "error": job.error,
            "failed": job.failed,
            "written": job.written,
            "zip": bool(job.zip_path),
        }
    )


async def batch_file(request: Request) -> Response:
    from routinekit.batch.manifest import MANIFEST_NAME

    job = _job(request)
    if job is None or not job.finished:
        return PlainTextResponse("Not ready.", 404)
    kind = request.path_params["kind"]
    if kind == "zip" and job.zip_path is not None and job.zip_path.is_file():
        return FileResponse(job.zip_path, media_type="application/zip", filename="batch.zip")
    manifest = job.outdir / MANIFEST_NAME
    if kind == "manifest" and manifest.is_file():
        return FileResponse(manifest, media_type="application/jsonl", filename="manifest.jsonl")
    return PlainTextResponse("Not there.", 404)


@refusable
async def batch_delete(request: Request) -> Response:
    await checked_form(request)
    st = state_of(request)
    job = st.batches.pop(request.path_params["job"], None)
    if job is not None and (job.finished or not job.started):
        shutil.rmtree(job.folder, ignore_errors=True)
        with _folders_lock, contextlib.suppress(KeyError):
            _folders.remove(job.folder)
    return RedirectResponse("/batch", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/batch", batch_page, methods=["GET"]),
        Route("/batch", batch_check, methods=["POST"]),
        Route("/batch/{job:str}", batch_job, methods=["GET"]),
        Route("/batch/{job:str}/start", batch_start, methods=["POST"]),
        Route("/batch/{job:str}/status", batch_status, methods=["GET"]),
        Route("/batch/{job:str}/delete", batch_delete, methods=["POST"]),
        Route("/batch/{job:str}/{kind:str}", batch_file, methods=["GET"]),
    ]
