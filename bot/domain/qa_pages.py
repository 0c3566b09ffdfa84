"""Official question-and-answer pages: where the citizen's question ends and the answer begins.

A ministry's or a portal's Q&A page tells the citizen's story first ("Ông Chung đã mang giấy
tờ ... đến Đại sứ quán") and then the authority's answer ("Về vấn đề này, Cục Lãnh sự có ý kiến
như sau: ... Đại sứ quán không làm thủ tục đăng ký khai sinh"). The story shares every word
with a question about it, yet only the answer answers it.
"""

from __future__ import annotations

import functools
import re

from index import fold, nfc

# The line that opens the authority's answer (folded): "BHXH Việt Nam trả lời:", "Câu trả
# lời:", "Trả lời bà Anh, ...", "Về vấn đề này, Bộ ... có ý kiến như sau:", "Nội dung trả lời
# như sau", "Trả lời vấn đề trên, ...".
_ANSWER_OPENS = re.compile(
    r"\btra loi\s*:|\btra loi nhu sau\b|\bcau tra loi\b|\bco y kien (nhu sau|tra loi)\b|"
    r"(^|[.!?:\n]\s*)tra loi (ong|ba|ban|anh|chi|van de|cau hoi|kien nghi)\b|"
    r"\bve van de nay\b[^.?!\n]{0,80}\bnhu sau\b|\bgiai dap (nhu sau|:)")


@functools.lru_cache(maxsize=512)  # an article's text is fixed while its generation serves
def answer_starts(article_text: str) -> int | None:
    """Where the answer part of a Q&A page begins (a character offset into the text), or None
    for a page that is no Q&A (or whose answer opens it: no story to skip)."""
    folded = fold(nfc(article_text)).lower()
    match = _ANSWER_OPENS.search(folded)
    if match is None or match.start() == 0:
        return None
    return match.start()


def in_the_story(article_text: str, sentence: str, start: int | None) -> bool:
    """The sentence is told before the answer begins: the citizen's question, not the reply.
    Both texts are in the index's NFC form."""
    if start is None:
        return False
    at = article_text.find(sentence)
    return 0 <= at < start
