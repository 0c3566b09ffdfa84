"""A console chat on the same pipeline as Telegram: no token, no network."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.answer import Answerer
from bot.domain.conversation import Conversations
from bot.domain.curated import CuratedFirst
from bot.domain.too_short import too_short
from bot.present.plain import format_plain
from bot.present.texts import VI

PROMPT = "Bạn hỏi: "
GREETING = (
    "Xin chào! Tôi trả lời câu hỏi về chính quyền địa phương dựa trên các bài viết đã đăng.\n"
    "Gõ câu hỏi rồi nhấn Enter; gõ 'thoat' (hoặc Ctrl-D) để kết thúc."
)
QUIT_WORDS = {"thoat", "thoát", "quit", "exit", "q"}


# The console is one chat: its follow-ups are read with its previous question.
CHAT = "console"


def chat(answerer: CuratedFirst | Answerer, memory: Conversations,
         read: Callable[[str], str] = input, write: Callable[[str], None] = print) -> None:
    """Read questions until EOF or a quit word; answer each with its sources. A short
    follow-up is read with the previous question, as on Telegram."""
    write(GREETING)
    while True:
        try:
            question = read(PROMPT).strip()
        except (EOFError, KeyboardInterrupt):
            write("")
            break
        if not question:
            continue
        if question.lower() in QUIT_WORDS:
            break
        if too_short(question):
            write(f"{VI.too_short}\n")
            continue
        answer = answerer.answer(question, after=memory.previous(CHAT))
        if answer.small_talk is None:
            memory.remember(CHAT, answer.question)
        stats = answerer.index.stats() if answer.small_talk else None
        write(format_plain(answer, stats))
        write("")
    write("Tạm biệt!")
