"""The main page: library, routine, patient, preview; opening, saving and downloading."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from routinekit.errors import PluginError, UserError
from routinekit.i18n import SUPPORTED_LANGUAGES
from routinekit.library import library_for
from routinekit.web import catalog, constraints
from routinekit.web.app import State
from routinekit.web.draft import (
    Draft,
    apply_patient_file,
    b64,
    draft_of_routine,
    draft_routine_bytes,
    patient_bytes,
    read_form,
)
from routinekit.web.forms import MAX_TEXT_UPLOAD, Refused, checked_form, upload_bytes, upload_name
from routinekit.web.pages import render_page

Handler = Callable[[Request], Awaitable[Response]]


def state_of(request: Request) -> State:
    st: State = request.app.state.rk
    return st


def refusable(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except Refused as exc:
            return exc.response

    return wrapped


def editor_context(st: State, draft: Draft, message: str | None = None) -> dict[str, Any]:
    host = st.host()
    items = catalog.items(host)
    by_id = {i.id: i for i in items}
    rows = [(e, by_id.get(e.id)) for e in draft.entries]
    strategies = [
        (sid, reg.obj.name, reg.obj.description) for sid, reg in sorted(host.strategies().items())
    ]
    try:
        base = draft.base_routine()
    except UserError:
        base = None
    return {
        "draft": draft,
        "base_b64": b64(draft.base),
        "patient_b64": b64(draft.patient_base) if draft.patient_base else "",
        "items": items,
        "rows": rows,
        "filters": catalog.filters(items),
        "constraints": constraints.constraints(),
        "strategies": strategies,
        "default_strategy": base.routine.strategy.id if base else "as-written",
        "routine_title": base.routine.title if base else "My Home Exercises",
        "routine_excludes": base.routine.strategy.exclude if base else (),
        "templates": sorted(host.templates().items()),
        "phases": ["acute", "progression", "prevention"],
        "languages": SUPPORTED_LANGUAGES,
        "message": message,
    }


async def index(request: Request) -> Response:
    st = state_of(request)
    draft = Draft()
    message = None
    template = request.query_params.get("template")
    if template:
        try:
            path = st.host().template(template).path
            draft = draft_of_routine(Path(path).read_bytes(), f"{template}.yaml")
        except UserError as exc:
            message = exc.one_line()
    ctx = await run_in_threadpool(editor_context, st, draft, message)
    return render_page(request, "editor.html", ctx)


def _draft(form: Any) -> Draft:
    return read_form(form, constraint_words=constraints.words())


@refusable
async def open_routine(request: Request) -> Response:
    form = await checked_form(request)
    st = state_of(request)
    current = _draft(form)
    message = None
    try:
        data = await upload_bytes(form, "routine_file", limit=MAX_TEXT_UPLOAD, what="routine file")
        if data is None:
            raise UserError("no routine file chosen", hint="choose a .yaml routine file first")
        draft = draft_of_routine(data, upload_name(form, "routine_file", "routine.yaml"))
        _keep_patient(draft, current)
    except UserError as exc:
        draft, message = current, exc.one_line()
    else:
        try:  # opened; say at once what `routinekit validate` would say is wrong in it
            await run_in_threadpool(_build, st, draft)
        except (UserError, PluginError) as exc:
            message = exc.one_line()
    ctx = await run_in_threadpool(editor_context, st, draft, message)
    return render_page(request, "editor.html", ctx, status=200 if message is None else 400)


def _keep_patient(draft: Draft, current: Draft) -> None:
    for name in (
        "patient_name",
        "patient_date",
        "therapist",
        "language",
        "patient_notes",
        "large_print",
        "page_size",
        "exclude",
        "patient_base",
    ):
        setattr(draft, name, getattr(current, name))


@refusable
async def open_patient(request: Request) -> Response:
    form = await checked_form(request)
    st = state_of(request)
    draft = _draft(form)
    message = None
    try:
        data = await upload_bytes(form, "patient_file", limit=MAX_TEXT_UPLOAD, what="patient file")
        if data is None:
            raise UserError("no patient file chosen", hint="choose a .yaml patient file first")
        apply_patient_file(draft, data, "patient file", constraints.words())
    except UserError as exc:
        message = exc.one_line()
    ctx = await run_in_threadpool(editor_context, st, draft, message)
    return render_page(request, "editor.html", ctx, status=200 if message is None else 400)


def _attachment(data: bytes, filename: str, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


def _error(message: str, status: int = 400) -> Response:
    return PlainTextResponse(f"Error: {message}", status)


@refusable
async def save_routine(request: Request) -> Response:
    draft = _draft(await checked_form(request))
    if draft.errors:
        return _error("; ".join(f"{k}: {v}" for k, v in draft.errors.items()))
    try:
        data = draft_routine_bytes(draft)
    except UserError as exc:
        return _error(exc.one_line())
    name = draft.base_name if draft.base_name.endswith((".yaml", ".yml")) else "routine.yaml"
    return _attachment(data, name, "application/yaml")


@refusable
async def save_patient(request: Request) -> Response:
    draft = _draft(await checked_form(request))
    try:
        data = patient_bytes(draft)
    except UserError as exc:
        return _error(exc.one_line())
    return _attachment(data, "patient.yaml", "application/yaml")


def _build(st: State, draft: Draft) -> Any:
    from routinekit.web.building import build

    return build(draft, st.host(), st.clinic())


@refusable
async def download(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    if fmt not in {"pdf", "html"}:
        return _error("only PDF and HTML downloads", 404)
    st = state_of(request)
    draft = _draft(await checked_form(request))
    if draft.errors:
        return _error("; ".join(draft.errors.values()))
    try:
        built = await run_in_threadpool(_build, st, draft)
        data = await run_in_threadpool(built.render, fmt)
    except (UserError, PluginError) as exc:
        return _error(exc.one_line())
    name = f"{built.handout.routine_id or 'handout'}.{fmt}"  # an id: [a-z0-9-] only
    media = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
    return _attachment(data, name, media)


def _preview(st: State, draft: Draft) -> dict[str, Any]:
    from routinekit.web.preview import Preview, preview_of

    if draft.errors:
        return Preview(field_errors=draft.errors, error=next(iter(draft.errors.values()))).to_json()
    if not draft.entries:
        return Preview(error="Add exercises to see the handout.").to_json()
    try:
        built = _build(st, draft)
    except (UserError, PluginError) as exc:
        return Preview(error=exc.one_line()).to_json()
    return preview_of(built, st.pages).to_json()


@refusable
async def preview(request: Request) -> Response:
    st = state_of(request)
    draft = _draft(await checked_form(request))
    return JSONResponse(await run_in_threadpool(_preview, st, draft))


async def page_image(request: Request) -> Response:
    data = state_of(request).pages.get(request.path_params["key"])
    if data is None:
        return PlainTextResponse("This preview is gone; change anything to draw it again.", 404)
    return Response(data, media_type="image/jpeg")  # no-store (the guard's default): it has names


async def picture(request: Request) -> Response:
    st = state_of(request)
    ident = request.path_params["ident"]
    try:
        ex = library_for(st.host()).get(ident)
    except UserError:
        return PlainTextResponse("No such exercise.", 404)
    svg = await run_in_threadpool(catalog.picture_svg, ex)
    if svg is None:
        return PlainTextResponse("This exercise has no drawing.", 404)
    return Response(
        svg, media_type="image/svg+xml", headers={"cache-control": "private, max-age=3600"}
    )


async def font(request: Request) -> Response:
    name = request.path_params["name"]
    fonts = Path(__file__).resolve().parent.parent / "fonts"
    if name not in {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"} or not (fonts / name).is_file():
        return PlainTextResponse("No such font.", 404)
    return FileResponse(
        fonts / name, media_type="font/ttf", headers={"cache-control": "max-age=86400"}
    )


def routes() -> list[Route]:
    return [
        Route("/", index, methods=["GET"]),
        Route("/routine/open", open_routine, methods=["POST"]),
        Route("/routine/save", save_routine, methods=["POST"]),
        Route("/patient/open", open_patient, methods=["POST"]),
        Route("/patient/save", save_patient, methods=["POST"]),
        Route("/download/{fmt}", download, methods=["POST"]),
        Route("/api/preview", preview, methods=["POST"]),
        Route("/preview/{key:str}.jpg", page_image, methods=["GET"]),
        Route("/picture/{ident:str}.svg", picture, methods=["GET"]),
        Route("/fonts/{name:str}", font, methods=["GET"]),
    ]
