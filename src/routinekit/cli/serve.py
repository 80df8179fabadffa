"""``routinekit serve``: the local web page for making handouts (see routinekit.web)."""

from __future__ import annotations

import socket
from pathlib import Path

import click

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one), or a one-line UserError."""
    from routinekit.errors import UserError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on connections whose
    # socket says it is TCP. With Nagle on, a response's body waits for the client's delayed
    # ACK of its headers: ~40 ms added to every small answer (the preview's JSON).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(
            f"cannot listen on {host}:{port} ({exc.strerror})",
            hint="choose another --port, or leave it out to use a free one",
        ) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def address(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one)."
)
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option(
    "--clinic",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The clinic profile the page uses and edits (default: ~/.config/routinekit/clinic.yaml).",
)
@click.option(
    "--library",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of the clinic's own exercises (default: $ROUTINEKIT_LIBRARY, else "
    "~/.config/routinekit/exercises).",
)
def serve(
    host: str, port: int, no_browser: bool, clinic: Path | None, library: Path | None
) -> None:
    """Open the handout page in your browser (it runs on this computer only).

    Prints the address with a private access token; keep it to yourself. Stop with Ctrl+C.
    """
    import logging
    import webbrowser

    import uvicorn

    from routinekit.web.app import Settings, create_app
    from routinekit.web.security import Secrets

    if host not in LOOPBACK:
        click.echo(
            f"Warning: listening on {host}, not only on this computer: anyone who can reach "
            "it and has the address with the token can see the handouts you make.",
            err=True,
        )
    sock = bind_socket(host, port)
    bound = sock.getsockname()[1]
    keys = Secrets()
    settings = Settings(host=host, port=bound, clinic_file=clinic, library_dir=library)
    app = create_app(settings, keys)
    url = address(host, bound, keys.token)
    click.echo(f"routinekit is ready at\n\n    {url}\n\nStop it with Ctrl+C.", err=True)
    logging.basicConfig(level=logging.INFO, format="routinekit: %(message)s")
    if not no_browser:
        webbrowser.open(url)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, server_header=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        from routinekit.web.routes_batch import clean_up

        clean_up()
