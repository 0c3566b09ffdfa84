"""Telegram HTML for everything the bot sends (citizens, moderators, staff): escaped, and
always within 4,096 chars.

Text from articles and users is escaped here and only here, word by word as it is measured, so
a message cut to fit never ends inside a tag, an entity or a word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from html import escape

from bot.domain.answer import Answer
from bot.domain.moderation import ReviewStats
from bot.domain.question_log import Curated, LoggedQuestion
from bot.present.plain import describe_knowledge
from bot.present.texts import STAFF, STATE_NAMES, VI, Texts
from index import BuildReport, FeedState, Hit, IndexStats, IngestReport

MAX_MESSAGE = 4096  # Telegram's limit, in UTF-16 code units
MAX_SOURCES = 3
MAX_TITLE = 160
MAX_URL = 512  # longer links are shown as plain titles, so three always fit
MAX_EXCERPT = 900
MAX_FAQ_LISTED = 30  # one message; `python -m bot faq list` shows them all
ELLIPSIS = "…"
_SPACES = re.compile(r"(\s+)")


def size(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def clip_escaped(text: str, budget: int) -> str:
    """`text` escaped, cut at a word boundary (with "…") so the result fits in `budget`."""
    whole = escape(text)
    if size(whole) <= budget:
        return whole
    room = budget - size(ELLIPSIS)
    out: list[str] = []
    used = 0
    for piece in _SPACES.split(text):
        if not piece:
            continue
        escaped = escape(piece)
        if used + size(escaped) > room:
            if not out:  # one word longer than the budget: cut it between characters
                out.append(_clip_chars(piece, room))
            break
        out.append(escaped)
        used += size(escaped)
    return "".join(out).rstrip() + ELLIPSIS


def _clip_chars(word: str, room: int) -> str:
    out, used = [], 0
    for char in word:
        escaped = escape(char)
        if used + size(escaped) > room:
            break
        out.append(escaped)
        used += size(escaped)
    return "".join(out)


def source_line(title: str, url: str | None, published: dt.date | None,
                publisher: str | None) -> str:
    """A linked title (when there is a safe url), then publisher and date."""
    name = clip_escaped(title or "—", MAX_TITLE)
    if url and url.startswith(("https://", "http://")) and len(url) <= MAX_URL:
        name = f'<a href="{escape(url, quote=True)}">{name}</a>'
    details = [clip_escaped(publisher, MAX_TITLE) if publisher else "",
               published.strftime("%d/%m/%Y") if published else ""]
    details = [d for d in details if d]
    return f"{name} — {', '.join(details)}" if details else name


def render_answer(answer: Answer, texts: Texts) -> str:
    """The answer, then "Nguồn:" and up to three sources."""
    lines = [f"<b>{texts.sources}</b>"]
    for number, src in enumerate(answer.sources[:MAX_SOURCES], start=1):
        lines.append(f"{number}. {source_line(src.title, src.url, src.published, src.publisher)}")
    sources = "\n".join(lines) if len(lines) > 1 else ""
    label = f"<b>{texts.verified}</b>\n" if answer.curated_id is not None else ""
    budget = MAX_MESSAGE - size(sources) - size(label) - 2
    body = label + clip_escaped(answer.text.strip(), budget)
    return f"{body}\n\n{sources}" if sources else body


def render_passages(hits: Sequence[Hit], texts: Texts) -> str:
    """"Xem thêm": each further passage under its linked title, cut to fit one message."""
    heads = []
    for number, hit in enumerate(hits, start=1):
        ref = hit.article
        heads.append(f"<b>{number}.</b> "
                     f"{source_line(ref.title, ref.url, ref.published, ref.publisher)}")
    fixed = size(texts.more_heading) + sum(size(h) + 3 for h in heads) + 2
    each = max(0, min(MAX_EXCERPT, (MAX_MESSAGE - fixed) // max(len(hits), 1)))
    blocks = [texts.more_heading]
    for head, hit in zip(heads, hits, strict=True):
        blocks.append(f"{head}\n{clip_escaped(_without_title(hit), each)}")
    return "\n\n".join(blocks)


def _without_title(hit: Hit) -> str:
    """Passages open with the article title; the link above already shows it."""
    text = hit.text.strip()
    title = hit.article.title.strip()
    if title and text.startswith(title):
        text = text[len(title):].strip()
    return text or hit.text


def render_welcome(stats: IndexStats, texts: Texts, in_group: bool) -> str:
    """What the bot knows (publishers, number of articles, newest), how to ask, examples."""
    knows = describe_knowledge(stats, texts, escape)
    how = f"{texts.how_to_ask} {texts.how_to_ask_group}" if in_group else texts.how_to_ask
    prefix = f"/{texts.ask_command} " if in_group else ""
    examples = "\n".join(f"• {prefix}{escape(e)}" for e in texts.examples)
    return f"{texts.welcome}\n\n{knows}\n\n{how}\n{texts.examples_label}\n{examples}"


# ------------------------------------------------------------------------ moderators

def render_review(q: LoggedQuestion) -> str:
    """The question, what the bot answered and its sources."""
    when = q.asked_at[:16].replace("T", " ")
    lines = [f"<b>Câu hỏi #{q.id}</b> · {STATE_NAMES.get(q.review_state, q.review_state)} · "
             f"{when} UTC", f"<i>{clip_escaped(q.question, 600)}</i>", ""]
    if q.answered:
        lines.append(f"<b>Bot đã trả lời</b> (độ tin cậy {q.confidence:.2f}):")
        lines.append(clip_escaped(q.answer, 2000))
        for number, src in enumerate(q.sources[:MAX_SOURCES], start=1):
            line = source_line(src.get("title") or "—", src.get("url"), None, src.get("source"))
            lines.append(f"{number}. {line}")
    else:
        lines.append(f"<b>Bot chưa trả lời được</b> (độ tin cậy {q.confidence:.2f}).")
    return "\n".join(lines)


def render_stats(s: ReviewStats) -> str:
    states = ", ".join(f"{STATE_NAMES[k]}: {s.by_state.get(k, 0)}"
                       for k in ("unanswered", "downvoted", "low", "reviewed", "spam"))
    votes = s.up + s.down
    latency = f"{s.median_latency_ms:.0f} ms" if s.median_latency_ms is not None else "—"
    topics = ", ".join(f"{escape(t)} ({n})" for t, n in s.topics) or "—"
    return (f"<b>Thống kê câu hỏi</b>\n"
            f"Tổng số: {s.questions}; bot trả lời được: {s.answered} "
            f"({s.answered_rate:.0%}); cán bộ đã trả lời: {s.moderator_answered}\n"
            f"Chờ xem lại: {s.awaiting} ({states})\n"
            f"👍/👎: {s.up}/{s.down}"
            + (f" ({s.up / votes:.0%} hài lòng)" if votes else "") + "\n"
            f"Thời gian trả lời (trung vị): {latency}\n"
            f"Chủ đề hỏi nhiều chưa có câu trả lời (7 ngày): {topics}")


def render_faq_list(items: Sequence[Curated]) -> str:
    if not items:
        return "Chưa có câu trả lời nào được lưu. Thêm bằng /faq add hoặc nút 📌 khi /review."
    lines = ["<b>Câu trả lời đã kiểm duyệt</b>"]
    for item in items[:MAX_FAQ_LISTED]:
        link = f" ({source_line(item.source_url, item.source_url, None, None)})" \
            if item.source_url else ""
        lines.append(f"<b>#{item.id}</b> {clip_escaped(item.question, 150)}\n"
                     f"→ {clip_escaped(item.answer, 200)}{link}")
    if len(items) > MAX_FAQ_LISTED:
        lines.append(f"… và {len(items) - MAX_FAQ_LISTED} câu khác "
                     "(xem bằng `python -m bot faq list`).")
    return "\n".join(lines)


def render_announcement(pending: Sequence[LoggedQuestion]) -> str:
    """New questions the bot could not answer, for MODERATOR_CHAT_ID."""
    lines = [f"<b>🔔 {len(pending)} câu hỏi mới bot chưa trả lời được</b>"]
    lines += [f"• #{q.id}: {clip_escaped(q.question, 150)}" for q in pending]
    lines.append("Gõ /review để xem và trả lời.")
    return "\n".join(lines)


def render_moderator_answer(text: str, source_url: str | None, texts: Texts = VI) -> str:
    """A moderator's answer as the citizen receives it, with its source when there is one."""
    body = f"<b>{escape(texts.from_moderators)}</b>\n{clip_escaped(text, 3500)}"
    if source_url:
        body += f"\n\n<b>{texts.sources}</b> {source_line(source_url, source_url, None, None)}"
    return body


# ------------------------------------------------------------------------ staff

def render_ingest(report: IngestReport) -> str:
    """One line per URL: what happened, the title, how many passages; the reason on failure."""
    labels = {"added": "Đã thêm", "updated": "Đã cập nhật", "unchanged": "Không đổi",
              "removed": "Đã xóa", "failed": "Lỗi"}
    lines = []
    for item in report.items:
        if item.status == "failed":
            lines.append(f"❌ {escape(item.input)}: {escape(item.reason or '')}")
        else:
            title = escape(item.title or item.input)
            lines.append(f"✅ {labels[item.status]}: <b>{title}</b> ({item.passages} đoạn văn)")
    if report.error:
        lines.append(f"❌ {escape(report.error)}")
    return "\n".join(lines) or "Không có gì để thêm."


def render_reindex(report: BuildReport) -> str:
    """/reindex's outcome, as plain text: what changed, then up to ten files that failed."""
    lines = [STAFF.reindexed.format(
        generation=report.generation, added=len(report.added), updated=len(report.updated),
        removed=len(report.removed), unchanged=len(report.unchanged),
        embedded=report.embedded_passages, seconds=report.seconds)]
    lines += [STAFF.bad_file.format(file=bad) for bad in report.bad[:10]]
    return "\n".join(lines)


def render_index_stats(info: IndexStats) -> str:
    """/stats: articles, passages, newest article, size on disk, model, generation."""
    newest = (f"{escape(info.newest.title)} ({info.newest.published:%d/%m/%Y})"
              if info.newest and info.newest.published else "—")
    return (f"<b>Chỉ mục thế hệ {info.generation}</b>\n"
            f"Bài viết: {info.articles}\nĐoạn văn: {info.passages}\nBài mới nhất: {newest}\n"
            f"Dung lượng: {info.size_bytes / 1e6:.1f} MB\n"
            f"Mô hình: {escape(info.embedding_model)} ({info.dim} chiều, FAISS "
            f"{escape(info.faiss_factory)})")


def render_crawl_summary(report: IngestReport) -> str:
    """What a scheduled crawl changed, for STAFF_CHAT_ID: new and edited articles, failures,
    and the feeds now backing off."""
    heading = STAFF.crawled.format(added=len(report.added), updated=len(report.updated),
                                   failed=len(report.failed))
    lines = [f"<b>{heading}</b>"]
    for label, items in ((STAFF.crawled_added, report.added),
                         (STAFF.crawled_updated, report.updated)):
        for item in items[:MAX_CRAWL_LISTED]:
            name = source_line(item.title or item.input, item.url, item.published, None)
            lines.append(f"{label}: {name}")
        if len(items) > MAX_CRAWL_LISTED:
            lines.append(f"… +{len(items) - MAX_CRAWL_LISTED}")
    for item in report.failed[:MAX_CRAWL_LISTED]:
        lines.append(f"❌ {clip_escaped(item.reason or item.input, 300)}")
    if report.error:
        lines.append(f"❌ {clip_escaped(report.error, 300)}")
    for feed in report.feeds:
        if feed.checked and feed.backing_off:
            lines.append(STAFF.crawl_backoff.format(feed=clip_escaped(feed.source, MAX_TITLE),
                                                    failures=feed.failures,
                                                    when=_when(feed.next_attempt)))
    return _fit("\n".join(lines))


def render_feed_states(feeds: Sequence[FeedState], every_s: float | None,
                       next_run: dt.datetime | None) -> str:
    """/stats' lines per feed of FEEDS: last crawl and its outcome, the next one, backoff."""
    heading = STAFF.feeds_heading.format(every=_duration(every_s)) if every_s \
        else STAFF.feeds_heading_off
    lines = [f"<b>{heading}</b>"]
    for feed in feeds:
        parts = [STAFF.feed_never if feed.last_attempt is None else STAFF.feed_last.format(
            when=_when(feed.last_attempt), outcome=_outcome(feed))]
        if feed.backing_off:
            parts.append(STAFF.feed_backoff.format(when=_when(feed.next_attempt)))
        elif every_s and (next_run or feed.next_attempt):
            parts.append(STAFF.feed_next.format(when=_when(next_run or feed.next_attempt)))
        lines.append(f"• {clip_escaped(feed.source, MAX_URL)}: {'; '.join(parts)}")
    return "\n".join(lines)


MAX_CRAWL_LISTED = 10  # articles of each kind named in a crawl summary


def _outcome(feed: FeedState) -> str:
    if feed.outcome == "failed":
        return STAFF.feed_failed.format(failures=feed.failures,
                                        error=clip_escaped(feed.error or "", 300))
    if feed.outcome == "changed":
        return STAFF.feed_changed.format(added=feed.counts.get("added", 0),
                                         updated=feed.counts.get("updated", 0))
    return STAFF.feed_not_modified if feed.outcome == "not-modified" else STAFF.feed_unchanged


def _when(stamp: dt.datetime | None) -> str:
    return f"{stamp.astimezone(dt.UTC):%d/%m/%Y %H:%M} UTC" if stamp else "—"


def _duration(seconds: float) -> str:
    for unit, name in ((86400, "ngày"), (3600, "giờ"), (60, "phút")):
        if seconds >= unit and seconds % unit == 0:
            return f"{seconds // unit:.0f} {name}"
    return f"{seconds:g} giây"


def _fit(text: str) -> str:
    """A summary longer than one message is cut at a line."""
    if size(text) <= MAX_MESSAGE:
        return text
    kept: list[str] = []
    for line in text.split("\n"):
        if size("\n".join([*kept, line, ELLIPSIS])) > MAX_MESSAGE:
            break
        kept.append(line)
    return "\n".join([*kept, ELLIPSIS])
