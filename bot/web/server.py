"""uvicorn inside the bot's own event loop: started and stopped with the Telegram bot."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Generator

import uvicorn
from starlette.types import ASGIApp


class _InLoopServer(uvicorn.Server):
    """The bot handles SIGINT/SIGTERM itself; uvicorn must not take them over."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class WebServer:
    """The web app on HOST:PORT, as a task of the running loop."""

    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, lifespan="off", access_log=False,
                                log_level="warning", proxy_headers=False)
        self._server = _InLoopServer(config)
        self._host, self._port = host, port
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        """Return once it listens; OSError (port in use...) if it cannot. The socket is bound
        here, because uvicorn answers a failed bind with SystemExit."""
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self._host, self._port))
        except OSError as error:
            sock.close()
            raise OSError(f"the web server cannot listen on {self._host}:{self._port}: "
                          f"{error.strerror}; change PORT or WEB_HOST") from None
        sock.set_inheritable(True)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                raise OSError("the web server stopped at start-up")
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        if self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
