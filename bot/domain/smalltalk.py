"""Greetings, thanks and "what can you do": a friendly word, never a quote or a refusal.

"xin chào" searched as a question finds nothing and earns "not covered", which reads as a
broken bot. These are recognised first, with or without diacritics, in Vietnamese or English.
"""

from __future__ import annotations

import enum
import re

from index import fold, nfc


class SmallTalk(enum.Enum):
    GREETING = "greeting"
    THANKS = "thanks"
    ABOUT = "about"  # who are you, what can you do, how do I ask
    GOODBYE = "goodbye"


# Whole-message patterns on the folded, lower-cased text with punctuation and emoji removed.
_ADDRESS = r"(?:\s+(?:ban|bot|em|anh|chi|ad|admin|nhe|nha|a|ah|oi|you|there|all))*"
_PATTERNS: tuple[tuple[SmallTalk, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"^(?:{pattern}){_ADDRESS}$")) for kind, pattern in (
        (SmallTalk.GREETING, r"xin chao|chao|alo|hello|hi|hey|good (?:morning|afternoon|"
                             r"evening)|chao buoi (?:sang|chieu|toi)"),
        (SmallTalk.THANKS, r"(?:xin |ok )?cam on(?: ban| bot| em)?(?: nhieu| rat nhieu)?|"
                           r"thanks?(?: you)?(?: so much| a lot)?|many thanks|tks|thank u"),
        (SmallTalk.GOODBYE, r"tam biet|bye|goodbye|hen gap lai|see you"),
        (SmallTalk.ABOUT, r"(?:ban|bot|em) (?:la ai|la gi|lam duoc gi|giup duoc gi(?: cho toi)?|"
                          r"co the lam gi|biet gi|tra loi duoc gi)|who are you|what are you|"
                          r"what can you do|how (?:do|can) i (?:use you|ask)|help|huong dan|"
                          r"ban giup gi duoc|toi co the hoi gi|hoi gi duoc|"
                          # "are you a real person?", "bạn có phải người thật không?"
                          r"(?:ban|bot|em) (?:co )?(?:phai )?(?:la )?(?:nguoi that|nguoi|robot|"
                          r"bot|may|ai|tri tue nhan tao|chatbot)(?: khong| a| ha)?|"
                          r"(?:are you|is this) (?:a )?(?:real person|human|bot|robot|machine|"
                          r"person|an? ai|chatbot)|(?:ban|bot) ten (?:la )?gi|what is your name"),
    ))
_NOISE = re.compile(r"[^\w\s]|_")


def small_talk(message: str) -> SmallTalk | None:
    """The kind of small talk a whole message is, or None for a real question."""
    text = " ".join(_NOISE.sub(" ", fold(nfc(message))).split())
    if not text or len(text.split()) > 8:
        return None
    for kind, pattern in _PATTERNS:
        if pattern.match(text):
            return kind
    return None
