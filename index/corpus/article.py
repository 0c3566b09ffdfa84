"""The corpus format: one Markdown file per article with YAML front matter."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from index.errors import ArticleError
from index.text import fold, nfc

log = logging.getLogger(__name__)

_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
# An article is a few pages of text; a bigger file is a mistake (a dump, a binary), and
# reading it whole would hold up a build.
MAX_ARTICLE_BYTES = 2_000_000
_SCALAR = str | int | float


class _TextDatesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML where a timestamp stays text: `published: 2023-02-30` is then our
    ArticleError, not the ValueError PyYAML raises while building a date."""


_TextDatesLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class _FrontMatter(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> object:
        return yaml.load(fm, Loader=_TextDatesLoader)  # a safe loader (subclass)


@dataclass(frozen=True)
class Article:
    """One published article: the unit staff add, the index embeds, and answers cite."""

    id: str
    title: str
    body: str
    url: str | None = None
    published: dt.date | None = None
    publisher: str | None = None  # front matter `source:`, e.g. UBND quận Hoàn Kiếm
    tags: tuple[str, ...] = ()
    sample: bool = False
    path: Path | None = field(default=None, compare=False)

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that reaches the index changes."""
        payload = json.dumps(
            [self.title, self.body, self.url, self.published and self.published.isoformat(),
             self.publisher],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BadFile:
    """A file the loader could not use, and why, so staff can fix it."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class LoadResult:
    articles: list[Article]
    bad: list[BadFile]


def load_knowledge(root: Path) -> LoadResult:
    """Load every `*.md` under `root` except READMEs; bad files are listed, never fatal."""
    articles: list[Article] = []
    bad: list[BadFile] = []
    if not root.is_dir():
        return LoadResult([], [BadFile(root, "knowledge folder does not exist")])
    seen_ids: dict[str, Path] = {}
    for path in sorted(root.rglob("*.md")):
        if path.name.lower() == "readme.md" or any(p.startswith(".") for p in path.parts):
            continue
        try:
            article = read_article(path, root)
        except ArticleError as error:
            bad.append(BadFile(path, str(error)))
            continue
        except Exception as error:  # one odd file must never stop a build
            log.exception("unexpected error reading %s", path)
            bad.append(BadFile(path, f"unexpected error ({type(error).__name__}: "
                                     f"{_first_line(error)}); please report it"))
            continue
        if article.id in seen_ids:
            bad.append(BadFile(path, f"same article id as {seen_ids[article.id]}"))
            continue
        seen_ids[article.id] = path
        articles.append(article)
    return LoadResult(articles, bad)


def read_article(path: Path, root: Path) -> Article:
    """Parse and validate one article file; raise ArticleError naming what is wrong."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as error:
        raise ArticleError(f"cannot read: {error.strerror}") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"larger than {MAX_ARTICLE_BYTES / 1e6:g} MB; an article is a few "
                           "pages of text: is this the right file?")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ArticleError(f"not valid UTF-8 (byte {error.start})") from None
    if "\x00" in raw:
        raise ArticleError("contains NUL bytes: a binary file, not Markdown text")
    if not raw.lstrip("\ufeff").startswith("---"):
        raise ArticleError("no front matter: the file must start with a '---' YAML block")
    try:
        post = frontmatter.loads(raw.lstrip("\ufeff"), handler=_FrontMatter())
    except yaml.YAMLError as error:
        raise ArticleError(f"invalid YAML front matter: {_first_line(error)}") from None
    except (ValueError, TypeError, RecursionError) as error:  # odd YAML PyYAML cannot build
        raise ArticleError(f"unreadable YAML front matter: {_first_line(error)}") from None
    meta = post.metadata
    if not isinstance(meta, dict):
        raise ArticleError("front matter must be a YAML mapping of fields")
    title = meta.get("title")
    if isinstance(title, int | float) and not isinstance(title, bool):
        title = str(title)  # `title: 2024` is a title
    if not isinstance(title, str) or not title.strip():
        raise ArticleError("front matter has no 'title' (or it is not text)")
    body = nfc(post.content).strip()
    if not body:
        raise ArticleError("empty body: the article has no text")
    return Article(
        id=article_id(path, root),
        title=nfc(title).strip(),
        body=body,
        url=_optional_str(meta, "url"),
        published=_parse_date(meta.get("published")),
        publisher=_optional_str(meta, "source"),
        tags=_parse_tags(meta.get("tags")),
        sample=_parse_flag(meta, "sample"),
        path=path,
    )


def article_id(path: Path, root: Path) -> str:
    """Stable id: the path under the knowledge folder, without `.md`."""
    return path.relative_to(root).with_suffix("").as_posix()


def slugify(text: str, max_words: int = 10) -> str:
    """ASCII file-name slug from a Vietnamese title."""
    words = _SLUG_CHARS.sub(" ", fold(text)).split()
    return "-".join(words[:max_words]) or "bai-viet"


def write_article(article: Article, directory: Path, name: str | None = None) -> Path:
    """Write an article as Markdown (atomically); the file name is stable from date and title."""
    directory.mkdir(parents=True, exist_ok=True)
    if name is None:
        date = article.published.isoformat() if article.published else "undated"
        name = f"{date}-{slugify(article.title)}.md"
    path = directory / name
    meta: dict[str, object] = {"title": article.title}
    if article.url:
        meta["url"] = article.url
    if article.published:
        meta["published"] = article.published
    if article.publisher:
        meta["source"] = article.publisher
    if article.tags:
        meta["tags"] = list(article.tags)
    if article.sample:
        meta["sample"] = True
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    text = f"---\n{header}\n---\n\n{nfc(article.body).strip()}\n"
    tmp = path.with_suffix(".md.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def _optional_str(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, _SCALAR) or isinstance(value, bool):
        raise ArticleError(f"'{key}' must be text, got {type(value).__name__}")
    value = nfc(str(value)).strip()
    return value or None


def _parse_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    shown = repr(value) if isinstance(value, _SCALAR) else type(value).__name__
    raise ArticleError(f"'published' must be an ISO date like 2023-02-16, got {shown[:60]}")


def _parse_tags(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list):
        raise ArticleError("'tags' must be a list")
    # Only scalars: str() of a nested (or YAML-aliased, "billion laughs") list is unbounded.
    if not all(isinstance(tag, _SCALAR) for tag in value):
        raise ArticleError("'tags' must be a list of words, not of lists or mappings")
    return tuple(nfc(str(tag)).strip() for tag in value if str(tag).strip())


def _parse_flag(meta: dict, key: str) -> bool:
    value = meta.get(key, False)
    if value is None or isinstance(value, bool):
        return bool(value)
    raise ArticleError(f"'{key}' must be true or false")


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
