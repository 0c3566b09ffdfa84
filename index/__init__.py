"""From article to ranked passage. The bot uses only what this module exports."""

from index.corpus.article import Article, BadFile, load_knowledge, write_article
from index.errors import (
    ArticleError,
    EmbeddingError,
    Error,
    ExtractError,
    FeedError,
    FetchConnectionError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    IndexCorruptError,
    IndexMismatchError,
    IndexNotBuiltError,
    LockTimeoutError,
    NoArticleError,
    SettingsError,
    TooLargeError,
    TooManyRedirectsError,
    UnsafeURLError,
    UnsupportedContentError,
)
from index.evaluation import run_eval
from index.ingest.feed_state import FeedState, load_feed_states
from index.ingest.library import Library, ListedArticle
from index.ingest.report import IngestReport, ItemResult, ProgressCallback
from index.search.chunking import chunk_article
from index.search.embedding import Embedder, load_embedder
from index.search.embedding_cache import EmbeddingCache
from index.search.index import (
    BuildReport,
    ChannelHit,
    Citation,
    Hit,
    Index,
    IndexStats,
)
from index.search.query import Query
from index.settings import IndexSettings, load_settings, split_list_setting
from index.text import (
    CAPITALISED_WORD,
    UPPER,
    fold,
    folded_tokens,
    has_diacritics,
    nfc,
    split_sentences,
    syllables,
    typed_with_marks,
    without_opening_words,
)
from index.web.extract import extract_article
from index.web.fetch import Fetcher, canonical_url

__all__ = [
    "CAPITALISED_WORD",
    "UPPER",
    "Article",
    "ArticleError",
    "BadFile",
    "BuildReport",
    "ChannelHit",
    "Citation",
    "Embedder",
    "EmbeddingCache",
    "EmbeddingError",
    "Error",
    "ExtractError",
    "FeedError",
    "FeedState",
    "FetchConnectionError",
    "FetchError",
    "FetchTimeoutError",
    "Fetcher",
    "HTTPStatusError",
    "Hit",
    "Index",
    "IndexCorruptError",
    "IndexMismatchError",
    "IndexNotBuiltError",
    "IndexSettings",
    "IndexStats",
    "IngestReport",
    "ItemResult",
    "Library",
    "ListedArticle",
    "LockTimeoutError",
    "NoArticleError",
    "ProgressCallback",
    "Query",
    "SettingsError",
    "TooLargeError",
    "TooManyRedirectsError",
    "UnsafeURLError",
    "UnsupportedContentError",
    "canonical_url",
    "chunk_article",
    "extract_article",
    "fold",
    "folded_tokens",
    "has_diacritics",
    "load_embedder",
    "load_feed_states",
    "load_knowledge",
    "load_settings",
    "nfc",
    "run_eval",
    "split_list_setting",
    "split_sentences",
    "syllables",
    "typed_with_marks",
    "without_opening_words",
    "write_article",
]
