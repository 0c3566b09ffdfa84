"""From article to ranked passage. The bot uses only what this module exports."""

from index.embedding import Embedder, EmbeddingError, load_embedder
from index.knowledge import Article, ArticleError, BadFile, load_knowledge, write_article
from index.lock import LockTimeoutError
from index.search_index import (
    ArticleRef,
    BuildReport,
    ChannelHit,
    Hit,
    Index,
    IndexMismatchError,
    IndexNotBuiltError,
    IndexStats,
)
from index.settings import IndexSettings
from index.store import IndexCorruptError
from index.text import fold, folded_tokens, has_diacritics, nfc, split_sentences, syllables

__all__ = [
    "Article",
    "ArticleError",
    "ArticleRef",
    "BadFile",
    "BuildReport",
    "ChannelHit",
    "Embedder",
    "EmbeddingError",
    "Hit",
    "Index",
    "IndexCorruptError",
    "IndexMismatchError",
    "IndexNotBuiltError",
    "IndexSettings",
    "IndexStats",
    "LockTimeoutError",
    "fold",
    "folded_tokens",
    "has_diacritics",
    "load_embedder",
    "load_knowledge",
    "nfc",
    "split_sentences",
    "syllables",
    "write_article",
]
