"""Every error the index raises, under one base class `Error`.

Each class also keeps the builtin base it always had (ValueError, TimeoutError, RuntimeError),
so callers that catch those keep working. Messages name what failed and what to do.

    Error
    ├── ArticleError (ValueError)          an article file that breaks the format
    ├── SettingsError (ValueError)         settings from the environment that do not validate
    ├── IndexNotBuiltError (RuntimeError)
    ├── IndexMismatchError (RuntimeError)
    ├── IndexCorruptError (RuntimeError)
    ├── EmbeddingError (RuntimeError)
    ├── LockTimeoutError (TimeoutError)
    ├── ExtractError (ValueError)
    │   └── NoArticleError
    └── FetchError                         every subclass carries `.url`
        ├── UnsafeURLError, FetchConnectionError, FetchTimeoutError, HTTPStatusError,
        │   TooManyRedirectsError, TooLargeError, UnsupportedContentError,
        │   ContentEncodingError
        └── FeedError
"""

from __future__ import annotations


class Error(Exception):
    """Base class of everything the index raises on purpose."""


class ArticleError(Error, ValueError):
    """An article file that breaks the format."""


class SettingsError(Error, ValueError):
    """Settings that do not validate; the message has one `setting NAME: problem` a line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class IndexNotBuiltError(Error, RuntimeError):
    """Nothing has been built in DATA_DIR yet."""


class IndexMismatchError(Error, RuntimeError):
    """The index on disk was built with another model or chunking than the settings ask for."""


class IndexCorruptError(Error, RuntimeError):
    """The published generation is missing or unreadable."""


class EmbeddingError(Error, RuntimeError):
    """The configured model cannot be loaded or used."""


class LockTimeoutError(Error, TimeoutError):
    """Another build held the index lock for longer than we were willing to wait."""


class ExtractError(Error, ValueError):
    """A page or file from which no article could be taken."""


class NoArticleError(ExtractError):
    """The page has no main text (a list of links, a login page, an empty shell of scripts)."""


class FetchError(Error):
    """A URL could not be downloaded as a web page or feed; `str()` says why and what to do."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


class UnsafeURLError(FetchError):
    """Not http(s), or the host resolves to an address that is not globally routable."""


class FetchConnectionError(FetchError):
    """The host name does not resolve, or the connection was refused or dropped."""


class FetchTimeoutError(FetchError):
    """The site did not answer within FETCH_CONNECT_TIMEOUT_S / FETCH_TIMEOUT_S (after retries)."""


class HTTPStatusError(FetchError):
    """The site answered with an error status (404, 500...)."""

    def __init__(self, url: str, message: str, status: int) -> None:
        super().__init__(url, message)
        self.status = status


class TooManyRedirectsError(FetchError):
    """More than MAX_REDIRECTS redirects."""


class TooLargeError(FetchError):
    """The page is larger than FETCH_MAX_BYTES."""


class UnsupportedContentError(FetchError):
    """The URL serves something other than an HTML page or an XML feed (a PDF, an image...)."""


class ContentEncodingError(FetchError):
    """The body is compressed in a way we do not unpack (stacked or unknown encodings)."""


class FeedError(FetchError):
    """The address is neither an RSS/Atom feed nor a sitemap."""
