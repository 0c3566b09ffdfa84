"""From article to ranked passage. The bot uses only what this module exports."""

from index.corpus.article import Article, ArticleError, BadFile, load_knowledge, write_article
from index.ingest.crawl import FeedError, crawl, crawl_all
from index.ingest.library import (
    IngestReport,
    ItemResult,
    ListedArticle,
    ProgressCallback,
    ingest,
    ingest_paths,
    ingest_urls,
    list_articles,
    remove_articles,
)
from index.search.embedding import Embedder, EmbeddingError, load_embedder
from index.search.index import (
    ArticleRef,
    BuildReport,
    ChannelHit,
    Hit,
    Index,
    IndexMismatchError,
    IndexNotBuiltError,
    IndexStats,
)
from index.search.lock import LockTimeoutError
from index.search.store import IndexCorruptError
from index.settings import IndexSettings, split_list_setting
from index.text import (
    CAPITALISED_WORD,
    fold,
    folded_tokens,
    has_diacritics,
    nfc,
    split_sentences,
    syllables,
)
from index.web.extract import ExtractError, NoArticleError
from index.web.fetch import (
    FetchConnectionError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
    UnsafeURLError,
    UnsupportedContentError,
    canonical_url,
)

__all__ = [
    "CAPITALISED_WORD",
    "Article",
    "ArticleError",
    "ArticleRef",
    "BadFile",
    "BuildReport",
    "ChannelHit",
    "Embedder",
    "EmbeddingError",
    "ExtractError",
    "FeedError",
    "FetchConnectionError",
    "FetchError",
    "FetchTimeoutError",
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
    "ListedArticle",
    "LockTimeoutError",
    "NoArticleError",
    "ProgressCallback",
    "TooLargeError",
    "TooManyRedirectsError",
    "UnsafeURLError",
    "UnsupportedContentError",
    "canonical_url",
    "crawl",
    "crawl_all",
    "fold",
    "folded_tokens",
    "has_diacritics",
    "ingest",
    "ingest_paths",
    "ingest_urls",
    "list_articles",
    "load_embedder",
    "load_knowledge",
    "nfc",
    "remove_articles",
    "split_list_setting",
    "split_sentences",
    "syllables",
    "write_article",
]
