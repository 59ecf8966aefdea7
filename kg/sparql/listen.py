"""Listening for ``kg serve``: the socket (backlog, clear errors) and uvicorn with timeouts.

uvicorn (h11) parses HTTP: chunked bodies are read as bodies, a malformed or conflicting
Content-Length is a 400, asyncio turns Nagle's algorithm off (TCP_NODELAY) on every
connection. On top of it a connection must send a complete request head within
``header_timeout`` seconds of connecting or of its first byte (uvicorn alone waits forever
for a client that connects and sends nothing), and an idle keep-alive connection is closed
after ``idle_timeout`` seconds.

>>> sock = bind("127.0.0.1", 0)                                    # doctest: +SKIP
>>> run(app, sock, idle_timeout=5, header_timeout=10)               # doctest: +SKIP
"""

from __future__ import annotations

import errno
import ipaddress
import socket

from kg.problems import UserError

__all__ = ["bind", "run", "is_loopback", "BACKLOG"]

BACKLOG = 1024


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost.

    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0"), is_loopback("localhost")
    (True, False, True)
    """
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int, backlog: int = BACKLOG) -> socket.socket:
    """A listening TCP socket; UserError when the port is taken or the address is wrong."""
    host = host.strip("[]")
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise UserError(f"cannot listen on {host}:{port} ({exc.strerror}); check --host") \
            from None
    try:
        sock = socket.create_server((host, port), family=family, backlog=backlog)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UserError(f"port {port} on {host} is already in use; stop the program "
                            "using it or pick another with --port (0 = any free port)") from None
        raise UserError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                        "check --host and --port") from None
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited where supported
    return sock


def _protocol(header_timeout: float):
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        """uvicorn's h11 protocol with a deadline for the request head."""

        _head_timer = None

        def connection_made(self, transport):
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            if sock is not None:
                try:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                except OSError:
                    pass
            self._arm()

        def _arm(self):
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(header_timeout, self._expired)

        def _disarm(self):
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _expired(self):
            self._head_timer = None
            if (self.cycle is None or self.cycle.response_complete) \
                    and not self.transport.is_closing():
                self.transport.close()

        def data_received(self, data):
            super().data_received(data)
            if self.transport.is_closing():
                self._disarm()
            elif self.cycle is not None and not self.cycle.response_complete:
                self._disarm()   # a request is under way: the body has its own deadline
            else:
                self._arm()      # part of a request head: it must complete in time

        def connection_lost(self, exc):
            self._disarm()
            super().connection_lost(exc)

    return Protocol


def run(app, sock: socket.socket, *, idle_timeout: float = 5.0, header_timeout: float = 10.0,
        max_connections: int = 256, max_head_bytes: int = 64 * 1024,
        on_stop=None) -> None:
    """Serve ``app`` on ``sock`` until SIGINT/SIGTERM; ``on_stop()`` (idempotent) runs at the
    signal and at the end; returns normally."""
    import signal

    import uvicorn

    config = uvicorn.Config(app, http=_protocol(header_timeout), lifespan="off",
                            log_level="warning", access_log=False, server_header=False,
                            timeout_keep_alive=max(1, int(round(idle_timeout))),
                            timeout_graceful_shutdown=2, backlog=BACKLOG,
                            limit_concurrency=max_connections,
                            h11_max_incomplete_event_size=max_head_bytes)

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):
            super().handle_exit(sig, frame)
            if on_stop is not None:
                on_stop()  # kill the query workers now: shutdown must not wait for them

    server = Server(config)
    # uvicorn re-raises the signal that stopped it once it is done: make that a no-op so the
    # command ends normally (exit 0, "stopped") instead of dying by SIGTERM/KeyboardInterrupt
    # (a signal before uvicorn's own handlers are in place asks the server to stop at once)
    quiet = {sig: signal.signal(sig, lambda *_: setattr(server, "should_exit", True))
             for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[sock])
    finally:
        if on_stop is not None:
            on_stop()
        for sig, handler in quiet.items():
            signal.signal(sig, handler)
