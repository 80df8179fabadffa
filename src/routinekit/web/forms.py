"""Reading POSTed forms: the CSRF check, size limits, uploads, and one-line errors."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from routinekit.errors import UnsafeInputError, UserError
from routinekit.web.security import CSRF_FIELD, CSRF_HEADER, BodyTooLarge, Secrets

#: A routine file, patient file or clinic profile (the same cap as the CLI's YAML reader).
MAX_TEXT_UPLOAD = 2_000_000
#: A patient list for a batch.
MAX_LIST_UPLOAD = 5_000_000
#: A picture (logo, exercise photo).
MAX_IMAGE_UPLOAD = 5_000_000


class Refused(Exception):
    """A request that is refused whole (no CSRF token, too large); carries the response."""

    def __init__(self, response: Response) -> None:
        self.response = response


def keys_of(request: Request) -> Secrets:
    keys: Secrets = request.app.state.rk.keys
    return keys


async def checked_form(request: Request) -> FormData:
    """The form of a POST, after its CSRF token is checked."""
    try:
        form = await request.form(max_files=4, max_fields=2000, max_part_size=MAX_LIST_UPLOAD)
    except BodyTooLarge:
        raise Refused(PlainTextResponse("Refused: the upload is too large.", 413)) from None
    except Exception as exc:  # multipart errors: starlette raises its own HTTPException
        detail = getattr(exc, "detail", None) or "the form could not be read"
        raise Refused(PlainTextResponse(f"Refused: {detail}.", 400)) from None
    token = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
    if not isinstance(token, str) or not keys_of(request).csrf_ok(token):
        raise Refused(PlainTextResponse("Refused: this form is out of date; reload the page.", 403))
    return form


async def upload_bytes(form: FormData, name: str, *, limit: int, what: str) -> bytes | None:
    """The bytes of an uploaded file field (None when no file was chosen)."""
    value: Any = form.get(name)
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    data = await value.read(limit + 1)
    if len(data) > limit:
        raise UnsafeInputError(
            f"{what} is too large (the limit is {limit:,} bytes)", hint="choose a smaller file"
        )
    if not data:
        raise UserError(f"{what} is empty", hint="choose the file again")
    return data


def upload_name(form: FormData, name: str, default: str) -> str:
    """The uploaded file's own name, without folders (shown in messages, used to save)."""
    value: Any = form.get(name)
    raw = value.filename if isinstance(value, UploadFile) and value.filename else default
    return str(raw).replace("\\", "/").rsplit("/", 1)[-1][:120] or default
