"""Freshness: the running bot crawls FEEDS every CRAWL_INTERVAL; unchanged feeds cost a 304,
failing feeds back off, one writer at a time, and staff hear only about changes."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.domain.answer import Answerer
from bot.domain.question_log import QuestionLog
from bot.settings import BotSettings
from bot.telegram.jobs import CRAWL
from fakes.news_site import CountingEmbedder, NewsSite, site_settings
from fakes.telegram_api import FakeTelegram
from index import Index, IndexSettings, Library, LockTimeoutError, load_feed_states
from index.cli import app as cli
from index.ingest.feed_state import save_feed_states
from index.search.lock import writer_lock
from index.web.fetch import Fetcher
from tests.telegram_harness import running
from tests.test_crawl import PATHS, publish
from tests.test_telegram_moderation import to
from tests.test_telegram_staff import PARAGRAPHS, QUESTION, TITLE

STAFF, CITIZEN, STAFF_GROUP = 900, 901, -100777
NEW = "/tin/chuong-duong.html"


@pytest.fixture
def settings(tmp_path: Path, site: NewsSite) -> IndexSettings:
    return site_settings(tmp_path, feeds=[site.url("/rss.xml")], crawl_interval="1s")


@pytest.fixture
def embedder(model) -> CountingEmbedder:
    return CountingEmbedder(model)


@pytest.fixture
def index(settings: IndexSettings, embedder: CountingEmbedder) -> Index:
    return Index.open(settings, embedder=embedder)


def test_crawl_interval_reads_hours_minutes_and_seconds() -> None:
    def every(value: str, feeds: str = "https://quan.example/rss.xml") -> float | None:
        return BotSettings(_env_file=None, crawl_interval=value, feeds=feeds).crawl_every_s

    assert (every("6h"), every("30m"), every("90s"), every("1d")) == (21600, 1800, 90, 86400)
    assert every("") is None and every("off") is None
    assert every("6h", feeds="") is None  # nothing to crawl: no job
    with pytest.raises(ValueError, match="CRAWL_INTERVAL"):
        every("six hours")


def test_fetch_is_conditional_when_given_the_validators(site: NewsSite,
                                                        tmp_path: Path) -> None:
    publish(site, PATHS[0])
    site.add_rss("/rss.xml", PATHS[:1])
    with Fetcher(site_settings(tmp_path)) as fetcher:
        first = fetcher.fetch(site.url("/rss.xml"))
        assert first.etag and first.last_modified and not first.not_modified
        again = fetcher.fetch(site.url("/rss.xml"), etag=first.etag,
                              last_modified=first.last_modified)
    assert again.not_modified and again.status == 304 and again.text == ""
    assert again.etag == first.etag
    assert site.requests[-1]["if-none-match"] == first.etag
    assert site.not_modified["/rss.xml"] == 1


def test_an_unchanged_feed_is_answered_304_and_nothing_is_re_embedded(
        site: NewsSite, settings: IndexSettings, index: Index,
        embedder: CountingEmbedder) -> None:
    publish(site, PATHS[0])
    site.add_rss("/rss.xml", PATHS[:1])
    first = Library(settings, index).crawl_all(scheduled=True)
    assert first.counts()["added"] == 1 and embedder.passages > 0
    [feed] = first.feeds
    assert feed.outcome == "changed" and feed.etag
    embedded, generation = embedder.passages, index.stats().generation

    second = Library(settings, index).crawl_all(scheduled=True)
    assert second.items == [] and second.build is None and second.ok
    assert [f.outcome for f in second.feeds] == ["not-modified"]
    assert site.not_modified["/rss.xml"] == 1 and site.hits["/rss.xml"] == 2
    assert site.hits[PATHS[0]] == 1  # the article is not fetched again
    assert embedder.passages == embedded and index.stats().generation == generation

    publish(site, PATHS[1])  # the feed changes: its ETag no longer matches
    site.add_rss("/rss.xml", PATHS[:2])
    third = Library(settings, index).crawl_all(scheduled=True)
    assert [item.url for item in third.added] == [site.url(PATHS[1])]
    assert load_feed_states(settings)[site.url("/rss.xml")].counts["added"] == 1


def test_a_failing_feed_backs_off_doubling_its_wait(
        site: NewsSite, settings: IndexSettings, index: Index,
        caplog: pytest.LogCaptureFixture) -> None:
    rss = site.url("/rss.xml")  # not published: the site answers 404
    with caplog.at_level(logging.WARNING, logger="index.ingest.library"):
        first = Library(settings, index).crawl_all(scheduled=True)
    [failed] = first.failed
    assert failed.input == rss and "HTTP 404" in failed.reason
    state = load_feed_states(settings)[rss]
    assert state.failures == 1 and state.outcome == "failed" and "HTTP 404" in state.error
    assert state.next_attempt - state.last_attempt == dt.timedelta(seconds=2)  # > the 1 s
    assert "failed (1 in a row" in caplog.text

    skipped = Library(settings, index).crawl_all(scheduled=True)  # still backing off
    assert skipped.items == [] and "backing off after 1 failures" in skipped.notes[0]
    assert site.hits["/rss.xml"] == 1

    state.next_attempt = dt.datetime.now(dt.UTC)  # the wait is over
    save_feed_states(settings, {rss: state})
    Library(settings, index).crawl_all(scheduled=True)
    again = load_feed_states(settings)[rss]
    assert again.failures == 2 and site.hits["/rss.xml"] == 2
    assert again.next_attempt - again.last_attempt == dt.timedelta(seconds=4)

    publish(site, PATHS[0])  # the site recovers: the count starts over
    site.add_rss("/rss.xml", PATHS[:1])
    again.next_attempt = dt.datetime.now(dt.UTC)
    save_feed_states(settings, {rss: again})
    recovered = Library(settings, index).crawl_all(scheduled=True)
    assert recovered.counts()["added"] == 1
    assert load_feed_states(settings)[rss].failures == 0


def test_a_scheduled_crawl_skips_while_another_writer_holds_the_index(
        site: NewsSite, settings: IndexSettings, index: Index) -> None:
    publish(site, PATHS[0])
    site.add_rss("/rss.xml", PATHS[:1])
    held, release = threading.Event(), threading.Event()

    def reindex() -> None:  # a staff /reindex, or another crawl, in another thread
        with writer_lock(settings.index_dir, 5):
            held.set()
            release.wait(10)

    other = threading.Thread(target=reindex)
    other.start()
    try:
        held.wait(5)
        with pytest.raises(LockTimeoutError):
            Library(settings, index).crawl_all(scheduled=True)
        assert site.hits["/rss.xml"] == 0
    finally:
        release.set()
        other.join()
    assert Library(settings, index).crawl_all(scheduled=True).counts()["added"] == 1


def test_cli_crawl_all_prints_each_feeds_state(site: NewsSite, settings: IndexSettings,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"DATA_DIR": settings.data_dir, "KNOWLEDGE_DIR": settings.knowledge_dir,
                        "ALLOW_PRIVATE_URLS": "true", "CRAWL_INTERVAL": "6h",
                        "FEEDS": f"{site.url('/rss.xml')},{site.url('/sitemap.xml')}"}.items():
        monkeypatch.setenv(name, str(value))
    publish(site, PATHS[0])
    site.add_rss("/rss.xml", PATHS[:1])  # no sitemap: a 404
    runner = CliRunner()
    first = runner.invoke(cli, ["crawl", "--all"])
    assert first.exit_code == 1
    lines = first.stdout.splitlines()
    assert any(line.startswith(f"feed {site.url('/rss.xml')}: last crawl ")
               and "1 added" in line and "; next " in line for line in lines), first.stdout
    assert any(line.startswith(f"feed {site.url('/sitemap.xml')}: last crawl ")
               and "failed (1 in a row)" in line and "backing off, next attempt" in line
               for line in lines), first.stdout
    second = runner.invoke(cli, ["crawl", "--all", "--json"])
    feeds = {f["source"]: f for f in json.loads(second.stdout)["feeds"]}
    assert feeds[site.url("/rss.xml")]["outcome"] == "not-modified"
    assert feeds[site.url("/sitemap.xml")]["failures"] == 2


# -- the running bot ----------------------------------------------------------------------

@pytest.fixture
def bot_settings(answerer: Answerer, tmp_path: Path, site: NewsSite) -> BotSettings:
    """The sample bot with its own knowledge folder, staff, and the news site's feed."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(answerer.settings.knowledge_dir, knowledge)
    settings = answerer.settings.model_copy(update={
        "knowledge_dir": knowledge, "staff_ids": {STAFF}, "allow_private_urls": True,
        "feeds": [site.url("/rss.xml")], "fetch_retries": 0})
    answerer.index.settings = settings
    return settings


@pytest.fixture
def fresh_answerer(answerer: Answerer, bot_settings: BotSettings) -> Answerer:
    return Answerer(answerer.index, bot_settings)


@pytest.fixture
def feed(site: NewsSite) -> Iterator[NewsSite]:
    """The feed lists one article at first; NEW appears in it later."""
    publish(site, PATHS[0])
    site.add_article(NEW, TITLE, PARAGRAPHS, dt.date(2024, 9, 12))
    site.add_rss("/rss.xml", PATHS[:1])
    yield site


async def _staff_messages(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [m["text"] for m in fake.sent_messages(chat_id)]


async def test_the_running_bot_cites_a_new_feed_entry_without_any_command(
        fake: FakeTelegram, feed: NewsSite, fresh_answerer: Answerer,
        question_log: QuestionLog, bot_settings: BotSettings) -> None:
    async with running(fake, fresh_answerer, question_log, **{
            k: getattr(bot_settings, k) for k in ("knowledge_dir", "staff_ids", "feeds",
                                                   "allow_private_urls", "fetch_retries")},
            crawl_interval=1.0, staff_chat_id=STAFF_GROUP) as app:
        [job] = app.job_queue.get_jobs_by_name(CRAWL)
        assert job.job.trigger.interval.total_seconds() == 1
        first = await fake.wait_for("sendMessage", to(STAFF_GROUP), timeout=90)
        assert "1 bài mới" in first.result["text"]

        feed.add_rss("/rss.xml", [PATHS[0], NEW])  # a new entry appears on the site
        summary = await fake.wait_for("sendMessage", to(STAFF_GROUP, TITLE), timeout=60)
        assert "1 bài mới" in summary.result["text"]
        fake.push_text(CITIZEN, QUESTION)
        answer = await fake.wait_for("sendMessage", to(CITIZEN), timeout=30)
        assert "6h00" in answer.result["text"] and TITLE in answer.result["text"]

        # Nothing changes: rounds go on (each one a 304) and staff hear nothing more.
        told = len(fake.sent_messages(STAFF_GROUP))
        not_modified = feed.not_modified["/rss.xml"]
        for _ in range(100):
            if feed.not_modified["/rss.xml"] >= not_modified + 2:
                break
            await asyncio.sleep(0.1)
        assert feed.not_modified["/rss.xml"] >= not_modified + 2
        assert len(fake.sent_messages(STAFF_GROUP)) == told
        assert feed.hits[NEW] == 1

        fake.push_text(STAFF, "/stats")
        stats = (await fake.wait_for("sendMessage", to(STAFF))).result["text"]
        assert "Nguồn tin tự động (mỗi 1 giây)" in stats
        assert f"{feed.url('/rss.xml')}: lần cuối " in stats and "lần sau " in stats


async def test_the_crawl_job_reports_failures_to_each_staff_member_and_skips_a_busy_round(
        fake: FakeTelegram, feed: NewsSite, fresh_answerer: Answerer,
        question_log: QuestionLog, bot_settings: BotSettings,
        caplog: pytest.LogCaptureFixture) -> None:
    feeds = [feed.url("/rss.xml"), feed.url("/sitemap.xml")]  # no sitemap: a 404
    async with running(fake, fresh_answerer, question_log, **{
            k: getattr(bot_settings, k) for k in ("knowledge_dir", "allow_private_urls",
                                                   "fetch_retries")},
            staff_ids={STAFF, STAFF + 1}, feeds=feeds, crawl_interval=3600.0) as app:
        [job] = app.job_queue.get_jobs_by_name(CRAWL)  # not due during the test: run by hand
        with writer_lock(bot_settings.index_dir, 1), \
                caplog.at_level(logging.INFO, logger="bot.telegram.jobs"):
            await job.run(app)  # the crawl runs in a worker thread: the lock is someone else's
        assert "skipped this round" in caplog.text and feed.hits["/rss.xml"] == 0
        assert fake.sent_messages(STAFF) == []

        await job.run(app)
        for member in (STAFF, STAFF + 1):
            [text] = await _staff_messages(fake, member)
            assert "1 bài mới, 0 bài sửa, 1 lỗi" in text and "HTTP 404" in text
            assert "lỗi 1 lần liên tiếp" in text

        fake.push_text(STAFF, "/stats")
        stats = (await fake.wait_for("sendMessage", to(STAFF, "Nguồn tin"))).result["text"]
        assert "đang giãn cách, thử lại" in stats and "1 bài mới" in stats

        await job.run(app)  # rss unchanged (304), sitemap backing off: nothing to tell
        assert feed.not_modified["/rss.xml"] == 1 and feed.hits["/sitemap.xml"] == 1
        assert len(await _staff_messages(fake, STAFF + 1)) == 1
