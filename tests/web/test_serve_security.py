"""``routinekit serve`` refuses what is not the therapist's own browser on this computer."""

from __future__ import annotations

import http.client
import re
from typing import Any

import pytest
from playwright.sync_api import expect
from webtools import Served


def request(
    served: Served,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(served.host, served.port, timeout=30)
    all_headers = {"Host": f"{served.host}:{served.port}", **(headers or {})}
    conn.request(method, path, body=body, headers=all_headers)
    return conn.getresponse()


def session(served: Served) -> str:
    """The cookie the token is exchanged for."""
    r = request(served, "GET", f"/?token={served.token}")
    assert r.status == 303
    cookie = r.getheader("set-cookie") or ""
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert r.getheader("location") == "/"  # the token leaves the address bar
    return cookie.split(";")[0]


@pytest.mark.parametrize(
    "path", ["/", "/static/app.css", "/clinic", "/batch", "/fonts/DejaVuSans.ttf"]
)
def test_every_request_needs_the_token(served: Served, path: str) -> None:
    r = request(served, "GET", path)
    assert r.status == 403
    assert b"token" in r.read()
    wrong = request(served, "GET", path + "?token=not-the-token")
    assert wrong.status == 403


def test_a_foreign_host_header_is_refused_even_with_the_token(served: Served) -> None:
    cookie = session(served)
    for host in (f"evil.example:{served.port}", "127.0.0.1", f"localhost.evil:{served.port}"):
        r = request(
            served, "GET", f"/?token={served.token}", headers={"Host": host, "Cookie": cookie}
        )
        assert r.status == 421, host
    ok = request(served, "GET", "/", headers={"Cookie": cookie})
    assert ok.status == 200
    also = request(
        served, "GET", "/", headers={"Cookie": cookie, "Host": f"localhost:{served.port}"}
    )
    assert also.status == 200


def test_pages_carry_a_strict_csp(served: Served) -> None:
    r = request(served, "GET", "/", headers={"Cookie": session(served)})
    csp = r.getheader("content-security-policy") or ""
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    html = r.read().decode()
    assert "<script>" not in html and " style=" not in html  # nothing inline for CSP to block
    assert not re.search(r"(src|href)=\"https?://", html)  # no CDN: every asset is ours
    assert r.getheader("cache-control") == "no-store"


@pytest.mark.parametrize(
    "path", ["/api/preview", "/download/pdf", "/routine/save", "/patient/save", "/clinic", "/batch"]
)
def test_posts_without_the_csrf_token_are_refused(served: Served, path: str) -> None:
    cookie = session(served)
    r = request(
        served,
        "POST",
        path,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        body=b"patient_name=Anna&ex=cat-cow",
    )
    assert r.status == 403
    assert b"reload the page" in r.read()


def test_a_post_from_another_site_is_refused(served: Served) -> None:
    r = request(
        served,
        "POST",
        "/api/preview",
        headers={"Cookie": session(served), "Origin": "http://evil.example"},
        body=b"",
    )
    assert r.status == 403


def test_an_oversized_upload_is_refused_before_it_is_read(served: Served) -> None:
    r = request(
        served,
        "POST",
        "/batch",
        headers={"Cookie": session(served), "Content-Length": str(50 * 2**20)},
        body=None,
    )
    assert r.status == 413


def test_the_server_log_has_no_patient_data_or_token(served: Served, page: Any) -> None:
    page.get_by_role("searchbox", name="Search exercises").fill("walk")
    page.get_by_role("button", name="Add Walking", exact=True).click()
    page.get_by_label("Patient name").fill("Quentin Zebedee")
    page.get_by_label("Notes for this patient").fill("knee surgery in May")
    expect(page.locator("#preview-status")).to_have_text(re.compile("^Showing"), timeout=30_000)
    with page.expect_download():
        page.get_by_role("button", name="Download PDF").click()
    log = (served.config.parent / "server.log").read_text().split("Ctrl+C.", 1)[1]
    assert "POST /download/pdf 200" in log
    for secret in ("Quentin", "Zebedee", "knee surgery", served.token):
        assert secret not in log
