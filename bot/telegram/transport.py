"""How the bot's Bot API calls travel: PTB's request interface on an aiohttp session.

PTB ships only an httpx transport. Measured on the fake Bot API, an httpx call costs about four
times the CPU of an aiohttp one (httpx, httpcore, anyio and h11 were half the event loop's time
per reply), and the event loop shares the GIL with the answer workers. Same timeouts, same
errors (`TimedOut`, `NetworkError`, with the aiohttp error as the cause).
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """At most `pool_size` connections; a call waits `pool_timeout` for one, `connect_timeout`
    to open it, `read_timeout` between bytes of the answer, and `write_timeout` for sending."""

    def __init__(self, pool_size: int, connect_timeout: float, read_timeout: float,
                 write_timeout: float, pool_timeout: float) -> None:
        self._pool_size = pool_size
        self._connect_timeout, self._read_timeout = connect_timeout, read_timeout
        self._write_timeout, self._pool_timeout = write_timeout, pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                trust_env=True)  # HTTPS_PROXY / NO_PROXY, as PTB's httpx transport honours

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = _value(read_timeout, self._read_timeout)
        connect = _value(connect_timeout, self._connect_timeout)
        pool = _value(pool_timeout, self._pool_timeout)
        write = _value(write_timeout, self._write_timeout)
        # aiohttp's `connect` covers waiting for a pooled connection and opening it; it has no
        # write timeout, so the whole call is bounded by the sum of all four.
        parts = (read, connect, pool, write)
        timeout = aiohttp.ClientTimeout(
            total=None if None in parts else sum(parts),  # type: ignore[arg-type]
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect, sock_read=read)
        try:
            async with self._session.request(method, url, data=_body(request_data),
                                             timeout=timeout) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut("Timed out before the request was sent (no connection)") from error
        except TimeoutError as error:  # reading the answer (aiohttp's are TimeoutErrors too)
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def never_sent(cause: BaseException | None) -> bool:
    """The call failed before any of it reached Telegram (no connection was had or made),
    so repeating it cannot do anything twice."""
    return isinstance(cause, aiohttp.ConnectionTimeoutError | aiohttp.ClientConnectorError)


def _value(given: ODVInput[float], default: float) -> float | None:
    return default if isinstance(given, DefaultValue) else given


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """A form, as Telegram takes it: urlencoded, or multipart when files go with it."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form
