"""What keeps the local page private: the access token, the Host check, CSRF, CSP, size limits.

The server listens on the clinic's own computer. Other programs there, and web pages open in
the same browser, must not be able to read or change anything:

* **token**: every request needs the session cookie, which the browser gets by opening the
  address printed at start (``/?token=...``). The cookie is HttpOnly and SameSite=Strict.
* **Host**: the Host header must name the address the server is bound to, so a web page
  on another name that resolves to 127.0.0.1 (DNS rebinding) is refused.
* **CSRF**: every POST carries a token from the page (form field or ``X-CSRF-Token`` header).
* **CSP**: scripts, styles, pictures and fonts only from this server; no inline script.
* **size**: request bodies above :data:`MAX_BODY_BYTES` are refused before they are read.

Logs name the method, the path without its query string, the status and the time; never a
body, a query string or a header, so no patient data reaches them.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

log = logging.getLogger("routinekit.web")

COOKIE = "routinekit_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
#: The largest request body accepted (a patient list or a picture); uploads are checked again
#: per file by the route that reads them.
MAX_BODY_BYTES = 8 * 1024 * 1024

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class Secrets:
    """The secrets of one server run (never written anywhere but the printed address)."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    session: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def csrf(self) -> str:
        """The CSRF token the pages carry (derived, so it needs no storage)."""
        return hmac.new(self.session.encode(), b"csrf", hashlib.sha256).hexdigest()

    def token_ok(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(str(value), self.token)

    def session_ok(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(str(value), self.session)

    def csrf_ok(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(str(value), self.csrf)


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host header values that name this server (loopback: its usual spellings too)."""
    names = {host}
    if host in {"127.0.0.1", "localhost", "::1"}:
        names |= {"127.0.0.1", "localhost", "[::1]"}
    if ":" in host and not host.startswith("["):
        names.add(f"[{host}]")
    return frozenset(f"{n}:{port}" for n in names)


def cookie_header(value: str) -> str:
    return f"{COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/"


def _cookies(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                out[k] = v
    return out


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k == name:
            return str(v.decode("latin-1"))
    return None


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]]) -> None:
    body = (text + "\n").encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *((k.encode(), v.encode()) for k, v in HEADERS.items()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware that runs every check above before the app sees a request."""

    def __init__(self, app: ASGIApp, *, keys: Secrets, hosts: frozenset[str]) -> None:
        self.app = app
        self.keys = keys
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status_seen: list[int] = []

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_seen.append(int(message["status"]))
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for k, v in HEADERS.items():
                    if k.encode() not in present:
                        headers.append((k.encode(), v.encode()))
                if b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self._check(scope, receive, send_logged)
        except BodyTooLarge:
            if not status_seen:
                await _plain(send_logged, 413, "Refused: the upload is too large.", [])
        except Exception as exc:
            # a bug: log its kind only (a message or traceback could quote what was typed)
            log.error("internal error %s on %s", type(exc).__name__, scope.get("path"))
            if os.environ.get("ROUTINEKIT_DEBUG", "") not in ("", "0"):
                log.exception("traceback (ROUTINEKIT_DEBUG is set: it may quote what was typed)")
            if not status_seen:
                await _plain(
                    send_logged,
                    500,
                    f"routinekit hit an internal bug ({type(exc).__name__}); please report it.",
                    [],
                )
        finally:
            status = status_seen[0] if status_seen else 0
            ms = (time.monotonic() - started) * 1000
            # the path only: never the query string (the token), a body or a header
            log.info("%s %s %s %.0f ms", scope.get("method"), scope.get("path"), status, ms)

    async def _check(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = (_header(scope, b"host") or "").lower()
        if host not in self.hosts:
            await _plain(send, 421, "Refused: this address is not the one routinekit serves.", [])
            return
        cookie = _cookies(scope).get(COOKIE)
        if not self.keys.session_ok(cookie):
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            token = (query.get("token") or [None])[0]
            if scope.get("method") == "GET" and self.keys.token_ok(token):
                # exchange the token for the cookie, and drop it from the address bar
                await _plain(
                    send,
                    303,
                    "Opening routinekit...",
                    [
                        (b"location", str(scope.get("path") or "/").encode()),
                        (b"set-cookie", cookie_header(self.keys.session).encode()),
                    ],
                )
                return
            await _plain(
                send,
                403,
                "Refused: open the address that `routinekit serve` printed (it has the token).",
                [],
            )
            return
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            await _plain(
                send, 413, f"Refused: uploads are limited to {MAX_BODY_BYTES // 2**20} MB.", []
            )
            return
        if scope.get("method") not in {"GET", "HEAD"}:
            origin = _header(scope, b"origin")
            if origin is not None and origin.split("://", 1)[-1].lower() not in self.hosts:
                await _plain(send, 403, "Refused: the request came from another site.", [])
                return
            receive = _capped(receive)
        await self.app(scope, receive, send)


def _capped(receive: Receive) -> Receive:
    """Stop reading a body (sent without a length) once it passes the limit."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise BodyTooLarge()
        return message

    return wrapped


class BodyTooLarge(Exception):
    """A request body passed :data:`MAX_BODY_BYTES` while it was read."""
