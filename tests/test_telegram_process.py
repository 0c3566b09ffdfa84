"""`python -m bot` as deployed: long polling against the fake server, and SIGTERM mid-answer."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bot.domain.question_log import FILENAME
from bot.settings import BotSettings
from fakes.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
ALICE = 701
QUESTION = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"


async def test_sigterm_finishes_the_answer_in_hand_then_exits_cleanly(
        fake: FakeTelegram, sample_settings: BotSettings, tmp_path: Path) -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:TEST", "TELEGRAM_BASE_URL": fake.base_url,
           "DATA_DIR": str(sample_settings.data_dir),
           "KNOWLEDGE_DIR": str(sample_settings.knowledge_dir), "LOG_SECRET": "process-secret",
           "WEBHOOK_URL": "", "PYTHONPATH": str(ROOT),
           "TYPING_AFTER_S": "0"}  # "typing…" at once: the sign that it is answering
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        await fake.wait_for("getUpdates", timeout=60)  # up, commands set, polling
        assert fake.commands[fake._scope_key({})][0]["command"] == "start"
        fake.push_text(ALICE, QUESTION)
        await fake.wait_for("sendChatAction", timeout=30)  # answering now
        process.send_signal(signal.SIGTERM)
        reply = await fake.wait_for("sendMessage", timeout=30)
        assert "Nguồn:" in reply.result["text"]
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    text = output.decode(errors="replace")
    assert process.returncode == 0 and "Traceback" not in text, text[-3000:]
    db = sqlite3.connect(sample_settings.data_dir / FILENAME)
    assert db.execute("SELECT question FROM questions").fetchall() == [(QUESTION,)]
    db.close()
