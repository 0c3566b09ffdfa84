"""The command-line contracts: `python -m index ...` and `python -m bot ...` as staff use them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app as bot_app
from bot.domain.conversation import Conversations
from bot.present.console import PROMPT, chat
from bot.present.texts import VI
from tests.conftest import SAMPLE_KNOWLEDGE

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=env.get("CWD", ROOT), env=env, input=stdin,
        capture_output=True, text=True, timeout=300,
    )


def environment(data_dir: Path, knowledge_dir: Path = SAMPLE_KNOWLEDGE) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN", "WEBHOOK_URL"}}
    env.update(DATA_DIR=str(data_dir), KNOWLEDGE_DIR=str(knowledge_dir), PYTHONPATH=str(ROOT))
    env["CWD"] = str(data_dir.parent)  # away from any developer .env in the checkout
    return env


def test_bot_help_says_how_to_start_the_bot() -> None:
    # README's first command is `python -m bot` with none: its help must say what that does.
    result = CliRunner().invoke(bot_app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "TELEGRAM_BOT_TOKEN" in result.output and "console chat" in result.output


def test_bot_ask_json_answers_and_cites(sample_settings) -> None:
    result = run("bot", "ask", "--json", "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?",
                 env=environment(sample_settings.data_dir))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["answered"] is True
    assert "Ban Dân vận Quận ủy" in answer["answer"]
    assert set(answer["sources"][0]) == {"title", "url", "published", "source", "publisher"}
    assert answer["sources"][0]["published"] == "2023-02-16"


def test_bot_ask_flag_after_question_and_unanswerable(sample_settings) -> None:
    result = run("bot", "ask", "Giá vàng hôm nay bao nhiêu?", "--json",
                 env=environment(sample_settings.data_dir))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["answered"] is False and answer["sources"] == []


@pytest.mark.parametrize("wordless", ["", "😀😀😀"])
def test_bot_ask_with_no_words_is_a_clear_error(tmp_path: Path, wordless: str) -> None:
    result = run("bot", "ask", wordless, env=environment(tmp_path / "data"))
    assert result.returncode == 2
    assert VI.too_short in result.stderr and result.stdout == ""
    assert "/help" not in result.stderr  # a Telegram command means nothing here
    scripted = run("bot", "ask", wordless, "--json", env=environment(tmp_path / "data"))
    assert scripted.returncode == 2
    assert json.loads(scripted.stdout) == {"error": "too_short", "message": VI.too_short}


def test_bot_ask_without_an_index_builds_it_and_says_so(tmp_path: Path) -> None:
    result = run("bot", "ask", "Rác cồng kềnh được thu gom khi nào?",
                 env=environment(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert "python -m index build" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Nguồn:" in result.stdout


def test_index_build_lists_bad_files_and_exits_2(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(SAMPLE_KNOWLEDGE / "samples", knowledge)
    (knowledge / "hong.md").write_text("không có front matter\n", encoding="utf-8")
    result = run("index", "build", "--knowledge", str(knowledge),
                 env=environment(tmp_path / "data", knowledge))
    assert result.returncode == 2
    assert "hong.md" in result.stderr and "no front matter" in result.stderr
    assert "added" in result.stdout
    stats = run("index", "stats", "--json", env=environment(tmp_path / "data", knowledge))
    assert json.loads(stats.stdout)["articles"] == len(list((SAMPLE_KNOWLEDGE / "samples")
                                                            .glob("*.md")))


def test_index_search_json_and_eval(sample_settings, tmp_path: Path) -> None:
    env = environment(sample_settings.data_dir)
    found = run("index", "search", "giờ thu gom rác Hai Bà Trưng", "-k", "2", "--json", env=env)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert len(hits) == 2 and "Hai Bà Trưng" in hits[0]["article"]["title"]

    corpus = tmp_path / "corpus.jsonl"
    queries = tmp_path / "queries.jsonl"
    corpus.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in [
        {"id": "d1", "title": "Thu gom rác", "text": "Rác được thu gom từ 18h30 đến 22h00."},
        {"id": "d2", "title": "Khai sinh", "text": "Đăng ký khai sinh trực tuyến miễn lệ phí."},
    ]), encoding="utf-8")
    queries.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in [
        {"id": "q1", "question": "Mấy giờ thu gom rác?", "relevant": ["d1"]},
        {"id": "q2", "question": "dang ky khai sinh co mat phi khong", "relevant": ["d2"]},
    ]), encoding="utf-8")
    before = sorted(p.name for p in sample_settings.index_dir.iterdir())
    result = run("index", "eval", "--corpus", str(corpus), "--queries", str(queries), "--json",
                 env=env)
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert {"recall@1", "recall@5", "recall@10", "mrr@10", "queries", "p50_ms", "p95_ms"} <= set(
        metrics)
    assert metrics["queries"] == 2 and metrics["recall@1"] == 1.0
    assert sorted(p.name for p in sample_settings.index_dir.iterdir()) == before


def test_invalid_setting_is_a_clear_error(tmp_path: Path) -> None:
    env = environment(tmp_path / "data")
    env["EMBEDDING_MODEL"] = "word2vec:foo"
    result = run("bot", "ask", "câu hỏi", env=env)
    assert result.returncode == 2
    assert "EMBEDDING_MODEL" in result.stderr and "Traceback" not in result.stderr


def test_console_chat_answers_a_question_typed_at_its_prompt(answerer) -> None:
    typed = iter(["Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?", "thoat"])
    prompts: list[str] = []
    output: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        return next(typed)

    chat(answerer, Conversations(600), read=read, write=output.append)
    transcript = "\n".join(output)
    assert prompts == [PROMPT, PROMPT]
    assert "Ban Dân vận Quận ủy" in transcript
    assert "Nguồn:" in transcript and "Kinh tế & Đô thị" in transcript


def test_console_chat_asks_for_a_whole_question_when_given_no_words(answerer) -> None:
    typed = iter(["???", "😀😀", "thoat"])
    output: list[str] = []
    chat(answerer, Conversations(600), read=lambda _: next(typed), write=output.append)
    transcript = "\n".join(output)
    assert transcript.count(VI.too_short) == 2
    assert VI.not_covered not in transcript


@pytest.mark.parametrize("ending", ["thoat\n", ""])
def test_console_chat_as_a_process_on_stdin(sample_settings, ending: str) -> None:
    result = run("bot", env=environment(sample_settings.data_dir),
                 stdin="Rác cồng kềnh được thu gom khi nào?\n" + ending)
    assert result.returncode == 0, result.stderr
    assert "Bạn hỏi:" in result.stdout and "thứ Bảy" in result.stdout
    assert "Tạm biệt" in result.stdout


def test_console_mode_prints_a_login_link_that_opens_the_web_console(sample_settings) -> None:
    import socket

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = environment(sample_settings.data_dir) | {"PORT": str(port)}
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=env["CWD"], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        link = ""
        for line in process.stderr:
            if "/console/login?token=" in line:
                link = line.split()[-1]
                break
        assert link.startswith(f"http://127.0.0.1:{port}/console/login?token=")
        with httpx.Client(follow_redirects=False) as http:
            shown = http.get(link)
            fields = dict(re.findall(r'name="(csrftoken|token)" value="([^"]+)"', shown.text))
            login = f"http://127.0.0.1:{port}/console/login"
            assert http.post(login, data=fields).status_code == 303
            assert http.get(f"http://127.0.0.1:{port}/console/knowledge").status_code == 200
            assert http.post(login, data=fields).status_code == 403  # once only
    finally:
        process.communicate("thoat\n", timeout=60)
    assert process.returncode == 0
