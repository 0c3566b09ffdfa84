"""The index: one object with a small verb set (open, build, search, similarity, stats)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from tqdm import tqdm

from index.corpus.article import Article, BadFile, load_knowledge
from index.errors import IndexCorruptError, IndexMismatchError, IndexNotBuiltError
from index.search.chunking import Passage, chunk_article
from index.search.dense import choose_factory, search_faiss, tune_search
from index.search.embedding import CachedQueries, Embedder, cached_queries, load_embedder
from index.search.embedding_cache import EmbeddingCache
from index.search.fusion import rank_fusion, score_fusion
from index.search.lexical import LexicalChannel
from index.search.lock import writer_lock
from index.search.query import Query, understand
from index.search.restore import DiacriticRestorer
from index.search.sentences import passage_sentences, sorted_by_key
from index.search.store import (
    ArticleEntry,
    Generation,
    Manifest,
    current_generation_name,
    disk_size,
    generation_folders,
    generation_name,
    generation_number,
    load_generation,
    newest_readable_generation,
    save_generation,
)
from index.search.word_tables import WordTables, build_word_tables
from index.settings import IndexSettings

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "lexical"]
Channel = Literal["dense", "lexical", "folded"]
# Candidates fetched per hit wanted when one passage per article is kept: articles have
# several passages, and the channels' lists must still hold `k` different articles.
PASSAGES_PER_ARTICLE_SEEN = 4
# Under the index folder: vectors embedded by a build that has not published yet, so a build
# killed mid-way (Ctrl-C, a crash, a reboot) resumes where it stopped. Emptied on publishing.
JOURNAL = "embedding-journal"


@dataclass(frozen=True)
class Citation:
    """What an answer needs to cite an article: the index keeps one per article."""

    id: str
    title: str
    url: str | None
    published: dt.date | None
    publisher: str | None


@dataclass(frozen=True)
class ChannelHit:
    rank: int | None  # None: the passage was not among this channel's candidates
    score: float


@dataclass(frozen=True)
class Hit:
    """A ranked passage with its article and how each channel saw it."""

    passage_id: str
    text: str
    position: int
    article: Citation
    score: float
    channels: dict[str, ChannelHit]
    baseline: float = 0.0  # median cosine of this question to a fixed sample of passages

    @property
    def cosine(self) -> float:
        """Dense similarity between the question and the passage (0 in a lexical-only search)."""
        dense = self.channels.get("dense")
        return dense.score if dense is not None else 0.0

    @property
    def dense_gap(self) -> float:
        """Cosine above the question's typical cosine: comparable across questions and
        languages, where raw e5 cosines are not (they crowd between 0.7 and 0.9)."""
        return self.cosine - self.baseline


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    bad: list[BadFile] = field(default_factory=list)
    embedded_passages: int = 0  # by the model in this build
    resumed_passages: int = 0  # vectors found in the cache or an interrupted build's journal
    embedded_sentences: int = 0  # the passages' sentences, by the model (SENTENCE_VECTORS)
    sentences_added: bool = False  # an index built without sentence vectors was given them
    generation: int = 0
    seconds: float = 0.0
    faiss_rebuilt: str | None = None  # the new FAISS_FACTORY, when only the index type changed
    words_stored: bool = False  # the previous generation had no stored word tables: now it has
    recovered: str | None = None  # what was wrong with the published index, when repaired

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.faiss_rebuilt
                    or self.recovered or self.words_stored or self.sentences_added)


@dataclass(frozen=True)
class IndexStats:
    generation: int
    articles: int
    passages: int
    newest: Citation | None
    publishers: list[str]
    size_bytes: int
    embedding_model: str
    dim: int
    faiss_factory: str
    built_at: str | None
    sentences: int = 0  # sentence vectors stored (SENTENCE_VECTORS)


class _Snapshot:
    """Everything a search reads, swapped as a whole so a reader never sees half a reload.

    The word channels and the diacritics restorer are stored in the generation and mapped.
    A generation built before they were stored builds them here, on first use (or by
    `prepare`): minutes and gigabytes on a large index.
    """

    def __init__(self, generation: Generation, settings: IndexSettings) -> None:
        self.generation = generation
        self.manifest = generation.manifest
        self.passages = generation.passages
        # Which article each passage belongs to, without reading the passage from disk.
        self.article_ids = list(generation.manifest.articles)
        self.article_of = np.zeros(len(generation.passages), dtype=np.int32)
        for number, entry in enumerate(generation.manifest.articles.values()):
            self.article_of[entry.first_passage:entry.first_passage + entry.passage_count] = \
                number
        tune_search(generation.faiss_index, settings.faiss_nprobe, settings.faiss_ef_search)
        self.exact = faiss_is_exact(generation.manifest.faiss_factory)
        # Copied once: each question's median cosine then reads a few MB, not the whole index.
        self.median_sample = generation.rows(median_sample_rows(len(generation.vectors),
                                                                settings.median_sample))
        self.articles = {
            article_id: Citation(
                id=article_id, title=e.title, url=e.url, publisher=e.publisher,
                published=dt.date.fromisoformat(e.published) if e.published else None,
            )
            for article_id, e in generation.manifest.articles.items()
        }
        self._search: WordTables | None = generation.words
        self._lock = threading.Lock()

    @property
    def prepared(self) -> bool:
        return self._search is not None

    def prepare(self) -> _Snapshot:
        """Build what searching reads (idempotent; thread-safe)."""
        if self._search is None:
            with self._lock:
                if self._search is None:
                    log.warning("generation %d has no stored word channels (built by an older "
                                "version): building them in memory, which takes minutes and "
                                "gigabytes on a large index; run `python -m index build` to "
                                "store them", self.manifest.generation)
                    self._search = build_word_tables(search_texts(self.passages, self.manifest))
        return self

    def article_id(self, passage: int) -> str:
        return self.article_ids[self.article_of[passage]]

    @property
    def lexical(self) -> LexicalChannel:
        return self.prepare()._search.lexical

    @property
    def folded(self) -> LexicalChannel:
        return self.prepare()._search.folded

    @property
    def restorer(self) -> DiacriticRestorer:
        return self.prepare()._search.restorer


class Index:
    """Articles in, ranked passages out; persisted as atomic generations under DATA_DIR."""

    def __init__(self, settings: IndexSettings, embedder: Embedder | None = None,
                 cache: EmbeddingCache | None = None,
                 query_cache: CachedQueries | None = None) -> None:
        self.settings = settings
        self.root = settings.index_dir
        self._embedder = embedder
        self._queries = query_cache  # default: the process-wide one of the embedder
        self._cache = cache
        self._snapshot: _Snapshot | None = None
        self._reload_lock = threading.Lock()
        self._loader: threading.Thread | None = None
        self._unreadable: str | None = None  # the last published state that failed to load

    # -- opening and reloading -------------------------------------------------------------

    @classmethod
    def open(cls, settings: IndexSettings, embedder: Embedder | None = None,
             cache: EmbeddingCache | None = None) -> Index:
        """Load the published generation, if any; refuse one built with other settings."""
        index = cls(settings, embedder, cache)
        generation = load_generation(index.root)
        if generation is not None:
            index._check_compatible(generation.manifest)
            index._snapshot = _Snapshot(generation, settings)
        return index

    @property
    def is_built(self) -> bool:
        return self._snapshot is not None

    @property
    def generation(self) -> int:
        return self._snapshot.manifest.generation if self._snapshot else 0

    def reload_if_changed(self, wait: bool = False) -> bool:
        """Load a newer generation published by another process in the background; the
        current one keeps serving until the new one is ready, then they swap.

        Returns at once (cheap when nothing changed): True when a newer generation is being
        loaded. With `wait`, returns once the load ends: True when it was swapped in. A
        damaged or incompatible publication is logged and the last good one keeps serving.
        """
        try:
            name = current_generation_name(self.root)
        except IndexCorruptError as error:
            self._report_unreadable(str(error), error)
            return False
        if name is None or name == generation_name(self.generation) or name == self._unreadable:
            return False
        before = self.generation
        with self._reload_lock:
            loader = self._loader
            if loader is None or not loader.is_alive():
                loader = threading.Thread(target=self._load_published, name="index-reload",
                                          daemon=True)
                self._loader = loader
                loader.start()
        if not wait:
            return True
        loader.join()
        return self.generation != before

    def _load_published(self) -> None:
        """In the loader thread: read, check and prepare the published generation, swap."""
        name = None
        try:
            name = current_generation_name(self.root)
            generation = load_generation(self.root)
            if generation is None:
                return
            self._check_compatible(generation.manifest)
        except (IndexCorruptError, IndexMismatchError) as error:
            self._report_unreadable(name, error)
            return
        except Exception as error:  # the serving snapshot must survive anything here
            self._report_unreadable(None, error)
            return
        snapshot = _Snapshot(generation, self.settings)
        current = self._snapshot
        if current is None or current.prepared:  # this process searches: be ready for it
            snapshot.prepare()
        self._snapshot = snapshot
        self._unreadable = None
        log.info("index reloaded: generation %d", generation.manifest.generation)

    def _report_unreadable(self, name: str | None, error: Exception) -> None:
        """Once per damaged publication, loudly: questions are answered from an old index."""
        key = name or str(error)
        if key == self._unreadable:
            return
        self._unreadable = key
        serving = (f"still serving generation {self.generation}" if self._snapshot
                   else "no index is loaded")
        log.error("the published index in %s cannot be loaded (%s); %s; run `python -m "
                  "index build` to repair it", self.root, error, serving)

    def _check_compatible(self, manifest: Manifest) -> None:
        wanted = (self.settings.embedding_model, self.settings.chunking)
        found = (manifest.embedding_model, manifest.chunking)
        if wanted != found:
            raise IndexMismatchError(
                f"the index in {self.root} was built with {found[0]} and chunking {found[1]}, "
                f"but the settings ask for {wanted[0]} and {wanted[1]}; "
                "run `python -m index rebuild` to rebuild it"
            )

    # -- the embedder ----------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder(self.settings.embedding_model,
                                           engine=self.settings.embedding_engine)
        return self._embedder

    @property
    def _query_vectors(self) -> CachedQueries:
        if self._queries is None:
            self._queries = cached_queries(self.embedder)
        return self._queries

    # -- building --------------------------------------------------------------------------

    def build(self, articles: Sequence[Article] | None = None, *, full: bool = False,
              bad: Sequence[BadFile] = (), show_progress: bool | None = None,
              on_progress: Callable[[int, int], None] | None = None,
              on_wait: Callable[[str], None] | None = None) -> BuildReport:
        """Make the index match `articles` (default: KNOWLEDGE_DIR), embedding only what changed.

        `full` ignores the previous generation (a rebuild, also after changing the model).
        """
        started = time.monotonic()
        if articles is None:
            loaded = load_knowledge(self.settings.knowledge_dir)
            articles, bad = loaded.articles, loaded.bad
        report = BuildReport(bad=list(bad))
        with writer_lock(self.root, self.settings.lock_timeout_s, on_wait):
            previous = None if full else self._previous(report)
            if previous is not None:
                self._check_compatible(previous.manifest)
                factory = self._factory(previous.manifest.passage_count)
                if previous.manifest.faiss_factory != factory:
                    # The vectors stay valid: only the FAISS index over them is rebuilt.
                    report.faiss_rebuilt = factory
                report.words_stored = previous.words is None
            plan = _plan_build(articles, previous, report)
            # An index built before sentence vectors existed gets them (its passages' vectors
            # are reused): answering then stops embedding sentences.
            report.sentences_added = (previous is not None and self.settings.sentence_vectors
                                      and previous.sentences is None)
            if not report.changed and previous is not None and not full:
                self._snapshot = _Snapshot(previous, self.settings)
                report.generation = previous.manifest.generation
                report.seconds = time.monotonic() - started
                return report
            journal = None
            if self._cache is None:
                journal = EmbeddingCache(self.root / JOURNAL, self.embedder.name,
                                         self.embedder.dim)
            try:
                passages, vectors, entries, sentences = self._assemble(
                    plan, previous, report, show_progress, on_progress,
                    self._cache or journal)
                manifest = Manifest(
                    generation=self._next_generation(previous),
                    embedding_model=self.settings.embedding_model,
                    dim=self.embedder.dim,
                    chunking=self.settings.chunking,
                    faiss_factory=self._factory(len(passages)),
                    built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    passage_count=len(passages),
                    articles=entries,
                )
                generation = save_generation(self.root, manifest, passages, vectors,
                                             search_texts(passages, manifest),
                                             sentences)
                if journal is not None:
                    journal.clear()  # published: the generation holds these vectors now
            finally:
                if journal is not None:
                    journal.close()
        self._snapshot = _Snapshot(generation, self.settings)
        report.generation = manifest.generation
        report.seconds = time.monotonic() - started
        return report

    def _factory(self, passages: int) -> str:
        """The FAISS type for a corpus of this size (FAISS_FACTORY, `auto` resolved)."""
        return choose_factory(self.settings.faiss_factory, passages,
                              self.settings.faiss_flat_below)

    def _previous(self, report: BuildReport) -> Generation | None:
        """The published generation; when its pointer or folder is damaged, the newest
        generation that still loads (None: build everything again)."""
        try:
            return load_generation(self.root)
        except IndexCorruptError as error:
            report.recovered = str(error)
        previous = newest_readable_generation(self.root)
        log.warning("the published index is damaged (%s); building from %s", report.recovered,
                    f"generation {previous.manifest.generation}" if previous else "scratch")
        return previous

    def _next_generation(self, previous: Generation | None) -> int:
        """Numbers never repeat, even across a rebuild, so readers always notice a change."""
        numbers = [generation_number(p.name) for p in generation_folders(self.root)]
        try:
            on_disk = current_generation_name(self.root)
        except IndexCorruptError:
            on_disk = None
        if on_disk:
            numbers.append(generation_number(on_disk))
        return max([*numbers, previous.manifest.generation if previous else 0]) + 1

    def _assemble(self, plan: list[tuple[Article, bool]], previous: Generation | None,
                  report: BuildReport, show_progress: bool | None,
                  on_progress: Callable[[int, int], None] | None, cache: EmbeddingCache | None,
                  ) -> tuple[list[Passage], np.ndarray, dict[str, ArticleEntry],
                             tuple[np.ndarray, np.ndarray] | None]:
        """Reuse vectors of unchanged articles; chunk and embed the rest, and (SENTENCE_VECTORS)
        the sentences of every passage that the previous generation did not hold."""
        passages: list[Passage] = []
        vectors: list[np.ndarray] = []
        entries: dict[str, ArticleEntry] = {}
        fresh: list[tuple[int, Passage, Article]] = []
        for article, reuse in plan:
            first = len(passages)
            if reuse and previous is not None:
                old = previous.manifest.articles[article.id]
                span = slice(old.first_passage, old.first_passage + old.passage_count)
                passages.extend(previous.passages[span])
                vectors.append(previous.vectors[span])
            else:
                for passage in chunk_article(article, self.settings.chunk_words,
                                             self.settings.chunk_overlap_words):
                    fresh.append((len(passages), passage, article))
                    passages.append(passage)
                vectors.append(np.zeros((len(passages) - first, 0), dtype=np.float32))
            entries[article.id] = ArticleEntry(
                content_hash=article.content_hash, title=article.title, url=article.url,
                published=article.published.isoformat() if article.published else None,
                publisher=article.publisher, first_passage=first,
                passage_count=len(passages) - first,
            )
        dim = self.embedder.dim
        matrix = np.zeros((len(passages), dim), dtype=np.float32)
        row = 0
        for block in vectors:
            if block.shape[1] == dim:
                matrix[row:row + len(block)] = block
            row += len(block)
        texts = [with_title(passage, article.title) for _, passage, article in fresh]
        sentences: dict[int, np.ndarray] = {}
        new_sentences: dict[int, str] = {}
        if self.settings.sentence_vectors:
            wanted = passage_sentences(passages)
            stored = previous.sentences if previous is not None else None
            rows = stored.rows_of(list(wanted)) if stored is not None else None
            for i, key in enumerate(wanted):
                if rows is not None and rows[i] >= 0:
                    sentences[key] = stored.vectors[rows[i]]
                else:
                    new_sentences[key] = wanted[key]
        # One pass over passages and sentences, so the progress reported is the whole work.
        embedded = (self._embed_passages([*texts, *new_sentences.values()], len(texts),
                                         show_progress, on_progress, cache, report)
                    if texts or new_sentences else np.zeros((0, dim), dtype=np.float32))
        for (position, _, _), vector in zip(fresh, embedded[:len(texts)], strict=True):
            matrix[position] = vector
        for key, vector in zip(new_sentences, embedded[len(texts):], strict=True):
            sentences[key] = vector
        stored_sentences = (sorted_by_key(sentences, dim) if self.settings.sentence_vectors
                            else None)
        return passages, matrix, entries, stored_sentences

    def _embed_passages(self, texts: list[str], passages: int, show_progress: bool | None,
                        on_progress: Callable[[int, int], None] | None,
                        cache: EmbeddingCache | None, report: BuildReport) -> np.ndarray:
        """Batched, with a progress bar on a terminal and a callback for the bot's /reindex;
        each batch is committed to `cache` as soon as it is embedded, so none is lost. The
        first `passages` texts are passages, the rest their sentences (counted apart)."""
        out = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        todo = list(range(len(texts)))
        if cache is not None:
            cached = cache.get_many(texts)
            todo = [i for i, vector in enumerate(cached) if vector is None]
            for i, vector in enumerate(cached):
                if vector is not None:
                    out[i] = vector
        report.resumed_passages = passages - sum(1 for i in todo if i < passages)
        batch = self.settings.embed_batch_size
        disable = None if show_progress is None else not show_progress
        with tqdm(total=len(todo), desc="embedding", unit="passage", disable=disable) as bar:
            for start in range(0, len(todo), batch):
                chunk = todo[start:start + batch]
                vectors = self.embedder.embed_passages([texts[i] for i in chunk])
                out[chunk] = vectors
                if cache is not None:
                    cache.put_many([texts[i] for i in chunk], vectors)
                in_passages = sum(1 for i in chunk if i < passages)
                report.embedded_passages += in_passages
                report.embedded_sentences += len(chunk) - in_passages
                bar.update(len(chunk))
                if on_progress is not None:
                    on_progress(start + len(chunk), len(todo))
        return out

    # -- searching -------------------------------------------------------------------------

    def understand(self, question: str) -> Query:
        """The one decision about a question (language, diacritics, what each reader sees)
        that search and answering share."""
        snapshot = self._snapshot
        if snapshot is None:
            return understand(question, lambda _: 0.0, lambda text: text)
        return understand(question, snapshot.folded.known_share, snapshot.restorer.restore)

    def search(self, query: str | Query, k: int = 5, mode: Mode = "hybrid",
               per_article: bool = True) -> list[Hit]:
        """The `k` best passages for a question, fused across channels (FUSION: by their
        scores, or by reciprocal rank).

        With `per_article` (the default) each article is represented by its best passage, so
        `k` hits name `k` different articles, as a reader of the sources expects.
        """
        snapshot = self._snapshot
        if snapshot is None:
            raise IndexNotBuiltError(
                f"no index in {self.root} yet; build it with `python -m index build`"
            )
        if isinstance(query, str):
            query = self.understand(query)
        if not query.typed or not snapshot.passages:
            return []
        weights = self._channel_weights(query, mode)
        n = max(self.settings.candidates_per_channel, k * (PASSAGES_PER_ARTICLE_SEEN
                                                           if per_article else 1))
        ranked: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        # A lexical-only search (evaluation) needs no model at all.
        needs_model = mode != "lexical"
        query_vector = self._query_vectors.queries([query.readable])[0] if needs_model else None
        if weights.get("dense"):
            ranked["dense"] = search_faiss(snapshot.generation.faiss_index, query_vector, n)
            if not snapshot.exact:
                ranked["dense"] = _exact_order(*ranked["dense"], snapshot.generation.rows,
                                               query_vector)
        budget = self.settings.bm25_postings_budget
        if weights.get("lexical"):
            ranked["lexical"] = snapshot.lexical.search(query.lexical, n, budget)
        if weights.get("folded"):
            ranked["folded"] = snapshot.folded.search(
                query.typed if query.unmarked else query.lexical, n, budget)
        ranks: dict[int, dict[str, ChannelHit]] = {}
        for channel, (indices, scores) in ranked.items():
            for rank, (i, score) in enumerate(zip(indices.tolist(), scores.tolist(),
                                                  strict=True), start=1):
                ranks.setdefault(i, {})[channel] = ChannelHit(rank, float(score))
        baseline = (float(np.median(snapshot.median_sample @ query_vector))
                    if query_vector is not None else 0.0)
        if self.settings.fusion == "rrf":
            fused = rank_fusion(ranked, weights, self.settings.rrf_k)
        else:
            fused = score_fusion(ranked, weights, None if query_vector is None else (
                lambda rows: snapshot.generation.rows(rows) @ query_vector), baseline)
        best = _best(sorted(fused, key=lambda i: (-fused[i], i)), snapshot, k, per_article)
        hits = []
        for i in best:
            passage = snapshot.passages[i]
            channels = ranks[i]
            if "dense" not in channels and query_vector is not None:
                cosine = float(snapshot.generation.rows([i])[0] @ query_vector)
                channels["dense"] = ChannelHit(None, cosine)
            hits.append(Hit(passage.id, passage.text, passage.position,
                            snapshot.articles[passage.article_id], fused[i], channels, baseline))
        return hits

    def _channel_weights(self, query: Query, mode: Mode) -> dict[str, float]:
        """Lean on the folded channel when a Vietnamese question is typed without diacritics:
        the dense model cannot read it and the as-written channel cannot match it. An English
        question is read by the model, and by its glossary rendering in both word channels."""
        s = self.settings
        if query.unmarked:
            weights = {"dense": s.unaccented_weight_dense,
                       "lexical": s.unaccented_weight_lexical,
                       "folded": s.weight_lexical}
        else:
            weights = {"dense": s.weight_dense, "lexical": s.weight_lexical,
                       "folded": s.weight_folded}
        if mode == "dense":
            return {"dense": 1.0}
        if mode == "lexical":
            weights["dense"] = 0.0
            if not any(weights.values()):
                weights["folded"] = 1.0
        return weights

    def term_weights(self, terms: Sequence[str]) -> list[float]:
        """IDF of folded terms in this index, to weigh which words of a question matter."""
        snapshot = self._snapshot
        if snapshot is None:
            return [1.0] * len(terms)
        return [snapshot.folded.idf(term) for term in terms]

    def similarity(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """Cosine between a question and short texts (sentences), with the index's model. A
        sentence of a passage is read from the vectors its build stored; others are embedded."""
        if not texts:
            return np.empty(0, dtype=np.float32)
        query = self._query_vectors.queries([question])[0]
        return self._sentence_vectors(list(texts)) @ query

    def _sentence_vectors(self, texts: list[str]) -> np.ndarray:
        snapshot = self._snapshot
        stored = snapshot.generation.sentences if snapshot is not None else None
        if stored is None:
            return self._query_vectors.passages(texts)
        vectors, missing = stored.lookup(texts)
        if missing:
            vectors[missing] = self._query_vectors.passages([texts[i] for i in missing])
        return vectors

    # -- describing ------------------------------------------------------------------------

    def articles(self) -> list[Citation]:
        return list(self._snapshot.articles.values()) if self._snapshot else []

    def article_text(self, article_id: str) -> str:
        """The indexed text of one article (its passages, overlaps included), to check what an
        article says beyond the passage a search returned."""
        snapshot = self._snapshot
        entry = snapshot.manifest.articles.get(article_id) if snapshot else None
        if snapshot is None or entry is None:
            return ""
        span = snapshot.passages[entry.first_passage:entry.first_passage + entry.passage_count]
        return "\n".join(passage.text for passage in span)

    def stats(self) -> IndexStats:
        snapshot = self._snapshot
        if snapshot is None:
            return IndexStats(0, 0, 0, None, [], 0, self.settings.embedding_model, 0,
                              self.settings.faiss_factory, None)
        refs = list(snapshot.articles.values())
        dated = [r for r in refs if r.published]
        manifest = snapshot.manifest
        return IndexStats(
            generation=manifest.generation,
            articles=len(refs),
            passages=len(snapshot.passages),
            newest=max(dated, key=lambda r: r.published) if dated else None,
            publishers=sorted({r.publisher for r in refs if r.publisher}),
            size_bytes=disk_size(self.root),
            embedding_model=manifest.embedding_model,
            dim=manifest.dim,
            faiss_factory=manifest.faiss_factory,
            built_at=manifest.built_at,
            sentences=len(snapshot.generation.sentences or ()),
        )


def _plan_build(articles: Sequence[Article], previous: Generation | None,
                report: BuildReport) -> list[tuple[Article, bool]]:
    """Which articles keep their old vectors (same content hash) and which need embedding."""
    old = previous.manifest.articles if previous else {}
    plan = []
    for article in articles:
        entry = old.get(article.id)
        if entry is None:
            report.added.append(article.id)
        elif entry.content_hash != article.content_hash:
            report.updated.append(article.id)
        else:
            report.unchanged.append(article.id)
        plan.append((article, entry is not None and entry.content_hash == article.content_hash))
    current = {article.id for article in articles}
    report.removed = sorted(set(old) - current)
    return plan


def _best(order: list[int], snapshot: _Snapshot, k: int, per_article: bool) -> list[int]:
    """The first `k` passages of a ranking, at most one per article when `per_article`."""
    if not per_article:
        return order[:k]
    chosen, seen = [], set()
    for i in order:
        article = snapshot.article_id(i)
        if article not in seen:
            seen.add(article)
            chosen.append(i)
            if len(chosen) == k:
                break
    return chosen


def median_sample_rows(passages: int, size: int) -> np.ndarray:
    """The passages a question's typical cosine is measured on: at most `size`, evenly spread
    over the index, so one index gives every question the same sample, and a question costs
    the same at a million passages as at ten thousand."""
    if passages <= size:
        return np.arange(passages, dtype=np.int64)
    return np.linspace(0, passages - 1, size).round().astype(np.int64)


def faiss_is_exact(factory: str) -> bool:
    """Flat indexes return exact cosines; quantised or graph ones only approximate them."""
    return factory.replace(" ", "").lower() in {"flat", "idmap,flat"}


def _exact_order(ids: np.ndarray, scores: np.ndarray,
                 read: Callable[[np.ndarray], np.ndarray],
                 query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Candidates of an approximate index re-scored with their stored vectors (`read` gives
    rows): exact cosines for confidence, and the order Flat would give them."""
    if not len(ids):
        return ids, scores
    rows = np.sort(ids)
    exact = read(rows) @ query
    order = np.argsort(-exact, kind="stable")
    return rows[order], exact[order].astype(np.float32)


def search_texts(passages: Sequence[Passage], manifest: Manifest) -> Iterator[str]:
    """What the word channels read of each passage, in order (read lazily from disk)."""
    titles = {article_id: entry.title for article_id, entry in manifest.articles.items()}
    for start in range(0, len(passages), 1000):
        for passage in passages[start:start + 1000]:
            yield with_title(passage, titles.get(passage.article_id, ""))


def with_title(passage: Passage, title: str) -> str:
    """Later passages are searched with their article's title: it says who and where."""
    if passage.position == 0 or not title.strip():
        return passage.text
    return f"{title}\n{passage.text}"
