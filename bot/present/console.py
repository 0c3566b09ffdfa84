"""A console chat on the same pipeline as Telegram: no token, no network."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.answer import Answer, Answerer

PROMPT = "Bạn hỏi: "
GREETING = (
    "Xin chào! Tôi trả lời câu hỏi về chính quyền địa phương dựa trên các bài viết đã đăng.\n"
    "Gõ câu hỏi rồi nhấn Enter; gõ 'thoat' (hoặc Ctrl-D) để kết thúc."
)
QUIT_WORDS = {"thoat", "thoát", "quit", "exit", "q"}


def format_plain(answer: Answer) -> str:
    """The answer, then its sources one a line: title, publisher, date, link."""
    lines = [answer.text]
    if answer.sources:
        lines.append("Nguồn:")
        for source in answer.sources:
            details = ", ".join(x for x in [
                source.publisher,
                source.published.strftime("%d/%m/%Y") if source.published else None,
            ] if x)
            line = f"  - {source.title}" + (f" ({details})" if details else "")
            if source.url:
                line += f"\n    {source.url}"
            lines.append(line)
    return "\n".join(lines)


def chat(answerer: Answerer, read: Callable[[str], str] = input,
         write: Callable[[str], None] = print) -> None:
    """Read questions until EOF or a quit word; answer each with its sources."""
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
        write(format_plain(answerer.answer(question)))
        write("")
    write("Tạm biệt!")
