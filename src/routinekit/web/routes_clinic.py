"""The clinic profile page and "My exercises" (the clinic library folder)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from routinekit.errors import UserError
from routinekit.files.decode import decode
from routinekit.files.yaml_reader import Document
from routinekit.library import library_for
from routinekit.model import ClinicProfile, Movement, Phase, Position
from routinekit.output import write_atomic
from routinekit.web.forms import MAX_IMAGE_UPLOAD, checked_form, upload_bytes
from routinekit.web.pages import render_page
from routinekit.web.pictures import checked_picture
from routinekit.web.routes_editor import refusable, state_of

CLINIC_FIELDS = (
    ("name", "Clinic name", "text"),
    ("phone", "Phone", "tel"),
    ("website", "Website", "url"),
    ("email", "Email", "text"),
    ("address", "Address", "text"),
    ("video_url_pattern", "Exercise video links", "url"),
    ("routine_video_url_pattern", "Routine video links", "url"),
)


def _field_of(exc: UserError) -> str:
    """The form field a located error is about (its first path part)."""
    name = exc.location.field or ""
    return re.split(r"[.\[]", name, maxsplit=1)[0] or "_form"


def _clinic_data(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    from routinekit.files.yaml_reader import load_yaml_file

    data = load_yaml_file(path).data
    return dict(data) if isinstance(data, dict) else {}


async def clinic_page(request: Request) -> Response:
    st = state_of(request)
    path = st.clinic_path()
    message = None
    try:
        data = _clinic_data(path)
        st.clinic()
    except UserError as exc:
        data, message = {}, exc.one_line()
    saved = request.query_params.get("saved") == "1"
    return render_page(
        request,
        "clinic.html",
        {
            "fields": CLINIC_FIELDS,
            "data": data,
            "errors": {},
            "clinic_path": str(path),
            "message": message,
            "saved": saved,
        },
    )


@refusable
async def clinic_save(request: Request) -> Response:
    form = await checked_form(request)
    st = state_of(request)
    path = st.clinic_path()
    try:
        old = _clinic_data(path)
    except UserError:
        old = {}
    data: dict[str, Any] = {}
    for name, _label, _kind in CLINIC_FIELDS:
        value = str(form.get(name) or "").strip()
        if value:
            data[name] = value
    errors: dict[str, str] = {}
    logo_file: tuple[bytes, str] | None = None
    try:
        raw = await upload_bytes(form, "logo", limit=MAX_IMAGE_UPLOAD, what="logo")
        if raw is not None:
            logo_file = checked_picture(raw, what="logo")
    except UserError as exc:
        errors["logo"] = exc.one_line()
    if logo_file is not None:
        data["logo"] = f"logo.{logo_file[1]}"
    elif old.get("logo") and form.get("remove_logo") != "on":
        data["logo"] = old["logo"]
    if not errors:
        try:
            decode(Document(data=data, source=str(path)), ClinicProfile)
        except UserError as exc:
            errors[_field_of(exc)] = exc.one_line()
    if errors:
        return render_page(
            request,
            "clinic.html",
            {
                "fields": CLINIC_FIELDS,
                "data": data,
                "errors": errors,
                "clinic_path": str(path),
                "message": "The profile was not saved: fix the fields marked below.",
                "saved": False,
            },
            status=400,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if logo_file is not None:
        write_atomic(path.parent / f"logo.{logo_file[1]}", logo_file[0])
    write_atomic(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode())
    return RedirectResponse("/clinic?saved=1", status_code=303)


async def clinic_logo(request: Request) -> Response:
    clinic = state_of(request).clinic()
    if clinic is None or not clinic.logo:
        return PlainTextResponse("No logo.", 404)
    return FileResponse(clinic.logo)


# -- My exercises ---------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _mine(st: Any) -> list[Any]:
    host = st.host()
    lib = library_for(host)
    return [e for e in lib if lib.owner(e.id) == "clinic_library"]


def _exercise_context(
    st: Any, data: dict[str, Any], errors: dict[str, str], message: str | None
) -> dict[str, Any]:
    from routinekit.builtins.clinic_library import folder
    from routinekit.text.dose_words import dose_text

    return {
        "dose_words": dose_text,
        "mine": _mine(st),
        "folder": str(folder()),
        "data": data,
        "errors": errors,
        "message": message,
        "positions": [p.value for p in Position],
        "movements": [m.value for m in Movement],
        "phases": [p.value for p in Phase],
    }


async def exercises_page(request: Request) -> Response:
    st = state_of(request)
    message = None
    if request.query_params.get("saved"):
        message = None
    try:
        ctx = _exercise_context(st, {}, {}, message)
    except UserError as exc:
        ctx = {**_exercise_context_empty(), "message": exc.one_line()}
    ctx["saved"] = request.query_params.get("saved", "")
    return render_page(request, "exercises.html", ctx)


def _exercise_context_empty() -> dict[str, Any]:
    from routinekit.builtins.clinic_library import folder

    return {
        "mine": [],
        "folder": str(folder()),
        "data": {},
        "errors": {},
        "positions": [p.value for p in Position],
        "movements": [m.value for m in Movement],
        "phases": [p.value for p in Phase],
    }


@refusable
async def exercise_add(request: Request) -> Response:
    from routinekit.batch.cells import CellError, parse_dose
    from routinekit.builtins.clinic_library import folder
    from routinekit.library import LibraryFile
    from routinekit.model.file_form import to_file_builtins

    form = await checked_form(request)
    st = state_of(request)
    name = str(form.get("name") or "").strip()
    ident = _slug(name)
    data: dict[str, Any] = {
        "id": ident or "my-exercise",
        "name": name,
        "objective": str(form.get("objective") or "").strip(),
        "steps": _lines(form.get("steps")),
        "position": str(form.get("position") or ""),
        "movements": [str(m) for m in form.getlist("movements")] or ["neutral"],
        "phases": [str(p) for p in form.getlist("phases")],
        "difficulty": int(str(form.get("difficulty") or "1"))
        if str(form.get("difficulty") or "1").isdigit()
        else 1,
        "cautions": _lines(form.get("cautions")),
        "tags": [t.strip() for t in str(form.get("tags") or "").split(",") if t.strip()],
    }
    video = str(form.get("video_url") or "").strip()
    if video:
        data["video_url"] = video
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "give the exercise a name"
    dose_text = str(form.get("dose") or "").strip()
    if dose_text:
        try:
            data["dose"] = to_file_builtins(parse_dose(dose_text))
        except CellError as exc:
            errors["dose"] = str(exc)
    photo: tuple[bytes, str] | None = None
    try:
        raw = await upload_bytes(form, "photo", limit=MAX_IMAGE_UPLOAD, what="photo")
        if raw is not None:
            photo = checked_picture(raw, what="photo")
            data["image"] = f"{data['id']}.{photo[1]}"
    except UserError as exc:
        errors["photo"] = exc.one_line()
    if video and not errors:
        from routinekit.safety import check_url

        try:
            check_url(video)
        except UserError as exc:
            errors["video_url"] = exc.one_line()
    lib = library_for(st.host())
    if ident and ident in lib and lib.owner(ident) != "clinic_library":
        errors["name"] = (
            f"the library already has an exercise with the id '{ident}'; choose another name"
        )
    clean = {k: v for k, v in data.items() if v not in ([], "")}
    if not errors:
        try:
            decode(Document(data={"exercises": [clean]}, source="exercise"), LibraryFile)
        except UserError as exc:
            field = (exc.location.field or "").split(".")[-1].split("[")[0]
            errors[field or "name"] = exc.message + (f"; {exc.hint}" if exc.hint else "")
    if errors:
        ctx = _exercise_context(
            st,
            {**data, "dose": dose_text, "tags": ", ".join(data["tags"])},
            errors,
            "The exercise was not saved: fix the fields marked below.",
        )
        ctx["saved"] = ""
        return render_page(request, "exercises.html", ctx, status=400)
    base = folder()
    base.mkdir(parents=True, exist_ok=True)
    if photo is not None:
        write_atomic(base / f"{data['id']}.{photo[1]}", photo[0])
    text = "# One of the clinic's own exercises (written by routinekit serve)\n" + yaml.safe_dump(
        {"format": 1, "exercises": [clean]}, sort_keys=False, allow_unicode=True
    )
    write_atomic(base / f"{data['id']}.yaml", text.encode("utf-8"))
    st.reload_library()
    return RedirectResponse(f"/exercises?saved={data['id']}", status_code=303)


@refusable
async def exercise_delete(request: Request) -> Response:
    from routinekit.builtins.clinic_library import folder

    await checked_form(request)
    st = state_of(request)
    ident = _slug(request.path_params["ident"])
    base = folder()
    for path in (base / f"{ident}.yaml", base / f"{ident}.png", base / f"{ident}.jpg"):
        if path.is_file():
            path.unlink()
    st.reload_library()
    return RedirectResponse("/exercises", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/clinic", clinic_page, methods=["GET"]),
        Route("/clinic", clinic_save, methods=["POST"]),
        Route("/clinic/logo", clinic_logo, methods=["GET"]),
        Route("/exercises", exercises_page, methods=["GET"]),
        Route("/exercises", exercise_add, methods=["POST"]),
        Route("/exercises/{ident:str}/delete", exercise_delete, methods=["POST"]),
    ]
