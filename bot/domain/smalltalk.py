"""Greetings, thanks and "what can you do": a friendly word, never a quote or a refusal.

"xin chào" searched as a question finds nothing and earns "not covered", which reads as a
broken bot. These are recognised first, with or without diacritics, in Vietnamese or English;
the words recognised also say which language to reply in ("xin chao" is Vietnamese, however
few of its syllables the articles happen to use).
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


# Whole-message patterns on the folded, lower-cased text with punctuation and emoji removed,
# each with the language of its words.
_ADDRESS = r"(?:\s+(?:ban|bot|em|anh|chi|ad|admin|nhe|nha|a|ah|oi|you|there|all))*"
_PATTERNS: tuple[tuple[SmallTalk, str, re.Pattern[str]], ...] = tuple(
    (kind, language, re.compile(rf"^(?:{pattern}){_ADDRESS}$"))
    for kind, language, pattern in (
        (SmallTalk.GREETING, "vi", r"xin chao|chao|alo|chao buoi (?:sang|chieu|toi)"),
        (SmallTalk.GREETING, "en", r"hello|hi|hey|good (?:morning|afternoon|evening)"),
        # An acknowledgement after an answer ("ok", "dạ vâng") is thanks, not a question.
        (SmallTalk.THANKS, "vi", r"(?:xin |ok )?cam on(?: ban| bot| em)?(?: nhieu| rat nhieu)?|"
                                 r"ok|oke|oki|ok roi|da|vang|da vang|duoc roi|hieu roi"),
        (SmallTalk.THANKS, "en", r"thanks?(?: you)?(?: so much| a lot)?|many thanks|tks|"
                                 r"thank u|okay|got it"),
        (SmallTalk.GOODBYE, "vi", r"tam biet|hen gap lai"),
        (SmallTalk.GOODBYE, "en", r"bye|goodbye|see you"),
        (SmallTalk.ABOUT, "vi", r"(?:ban|bot|em) (?:la ai|la gi|lam duoc gi|"
                                r"giup duoc gi(?: cho toi)?|co the lam gi|biet gi|"
                                r"(?:co the )?giup (?:duoc )?(?:gi|nhung gi)(?: cho toi)?|"
                                r"tra loi duoc (?:nhung )?gi)|huong dan|ban giup gi duoc|"
                                r"toi co the hoi (?:nhung )?gi|"
                                r"hoi gi duoc|"
                                # "bạn có phải người thật không?"
                                r"(?:ban|bot|em) (?:co )?(?:phai )?(?:la )?(?:nguoi that|nguoi|"
                                r"robot|bot|may|ai|tri tue nhan tao|chatbot)(?: khong| a| ha)?|"
                                r"(?:ban|bot) ten (?:la )?gi"),
        (SmallTalk.ABOUT, "en", r"who are you|what are you|what can you do|"
                                # "What kind of things can you help me with?"
                                r"what (?:kind of |sort of )?(?:things |questions )?can you "
                                r"(?:do|help(?: me)?(?: with)?|answer)(?: for me)?|"
                                r"how can you help(?: me)?|"
                                r"how (?:do|can) i (?:use you|ask)|help|"
                                r"(?:are you|is this) (?:a )?(?:real person|human|bot|robot|"
                                r"machine|person|an? ai|chatbot)|what is your name"),
    ))
# Small talk is short; a longer message is a question even if it opens like small talk.
MAX_WORDS = 10
_NOISE = re.compile(r"[^\w\s]|_")


def small_talk_and_language(message: str) -> tuple[SmallTalk, str] | None:
    """The kind of small talk a whole message is and the language ("vi", "en") of its words,
    which the reply is in; None for a real question."""
    text = " ".join(_NOISE.sub(" ", fold(nfc(message))).split())
    if not text or len(text.split()) > MAX_WORDS:
        return None
    for kind, language, pattern in _PATTERNS:
        if pattern.match(text):
            return kind, language
    return None


def small_talk(message: str) -> SmallTalk | None:
    """The kind of small talk a whole message is, or None for a real question."""
    found = small_talk_and_language(message)
    return found[0] if found else None
