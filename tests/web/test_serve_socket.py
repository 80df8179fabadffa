"""The listening socket of ``routinekit serve``: answers are not held back by Nagle."""

from __future__ import annotations

import asyncio
import socket
import threading

from routinekit.cli.serve import bind_socket


def test_connections_have_nagle_off() -> None:
    """asyncio sets TCP_NODELAY only on sockets whose proto is IPPROTO_TCP; with Nagle on,
    a small response body waits ~40 ms for the client's delayed ACK of the headers."""
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    seen: list[int] = []

    async def main() -> None:
        def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            conn = writer.get_extra_info("socket")
            seen.append(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            for _ in range(100):
                if seen:
                    break
                await asyncio.sleep(0.01)
            writer.close()

    # in a thread of its own: the browser tests' Playwright keeps a loop running in this one
    runner = threading.Thread(target=asyncio.run, args=(main(),))
    runner.start()
    runner.join(timeout=30)
    assert sock.proto == socket.IPPROTO_TCP
    assert seen and seen[0] != 0
