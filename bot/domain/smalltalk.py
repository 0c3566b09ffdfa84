"""Greetings, thanks and "what can you do": a friendly word, never a quote or a refusal.

"xin chào" searched as a question finds nothing and earns "not covered", which reads as a
broken bot. These are recognised first, with or without diacritics, in Vietnamese or English;
the words recognised also say which language to reply in ("xin chao" is Vietnamese, however
few of its syllables the articles happen to use).
"""

from __future__ import annotations

import enum
import re
from functools import cache

from index import fold, nfc


class SmallTalk(enum.Enum):
    GREETING = "greeting"
    THANKS = "thanks"
    ABOUT = "about"  # who are you, what can you do, how do I ask
    GOODBYE = "goodbye"


# Pieces of small talk on the folded, lower-cased text with punctuation and emoji removed,
# each with the language of its words. A message made of nothing but such pieces ("hello,
# what can you do?", "thanks, bye!") is small talk; one with anything else is a question.
_ADDRESS = (r"(?:\s+(?:ban|bot|em|anh|chi|ad|admin|nhe|nha|a|ah|oi|vay|you|there|all|"
            r"so much|very much|again|nhieu|lam))*")
# "Không cần nữa đâu", "thôi khỏi": nothing more is asked. With a question mark ("không cần
# à?") it asks whether something is needed: a follow-up.
_CLOSING = (r"(?:thoi )?(?:khong|ko) can(?: nua)?(?: dau)?|thoi khoi|(?:khong|ko) sao|"
            r"thoi(?: duoc roi)?")
_CLOSING_PIECE = re.compile(rf"(?:{_CLOSING})\b.*")
_PIECES: tuple[tuple[SmallTalk, str, str], ...] = (
    (SmallTalk.GREETING, "vi", r"xin chao|chao|alo|chao buoi (?:sang|chieu|toi)|"
                               r"ban (?:co )?khoe khong|"
                               r"(?:rat )?(?:vui|han hanh) (?:duoc )?(?:gap|lam quen)(?: voi)?"),
    (SmallTalk.GREETING, "en", r"hello|hi|hey|greetings|good (?:morning|afternoon|evening|day|"
                               r"night)|how are you(?: doing| today)?|(?:is )?anyone there|"
                               r"(?:nice|pleased|glad) to meet you|nice meeting you"),
    # An acknowledgement after an answer ("ok", "dạ vâng") is thanks, not a question.
    (SmallTalk.THANKS, "vi", r"(?:xin |ok |em |minh |toi )?cam on(?: ban| bot| em| anh| chi)?"
                             r"(?: nhieu| rat nhieu| nhieu lam)?(?: ve)?(?: thong tin)?|camon|"
                             r"ok|oke|oki|ok roi|da|vang|da vang|duoc roi|hieu roi|"
                             r"(?:rat |that )?huu ich(?: qua| lam)?|tuyet voi|hay qua|"
                             r"(?:ban |bot )?(?:da )?giup(?: ich)?(?: (?:minh|toi|em))?(?: rat)?"
                             r" nhieu(?: lam)?"),
    (SmallTalk.THANKS, "vi", _CLOSING),
    (SmallTalk.THANKS, "en", r"thanks?(?: you)?(?: so much| a lot| very much)?"
                             r"(?: for (?:your|the) (?:help|info|information|answer))?|"
                             r"many thanks|tks|thx|thank u|okay|got it|i understand|"
                             r"cheers|much appreciated|appreciate it|"
                             r"great|perfect|awesome|nice|cool|"
                             r"(?:that|this|it) (?:was|is) (?:very |really |so )?"
                             r"(?:helpful|useful|great)|"
                             r"(?:you are|you re) (?:very |really |so )?(?:helpful|great)|"
                             # "thanks a lot, that really helped!"
                             r"(?:that|this|it|you) (?:really |truly )?(?:helped|helps)"
                             r"(?: me)?(?: (?:a lot|so much|a great deal))?|"
                             r"(?:very |really )?helpful"),
    (SmallTalk.GOODBYE, "vi", r"tam biet|hen gap lai"),
    (SmallTalk.GOODBYE, "en", r"bye|goodbye|see you(?: later| soon)?|have a nice day"),
    # "cho mình hỏi" alone opens a question not yet asked: what can be asked answers it
    (SmallTalk.ABOUT, "vi", r"(?:cho|cho phep) (?:minh|toi|em|chau) hoi(?: chut| voi)?|"
                            r"(?:minh|toi|em) (?:muon hoi|co cau hoi|hoi chut)|"
                            r"(?:ban|bot) giup (?:duoc )?gi(?: duoc)?|"
                            r"(?:ban|bot|em) (?:la ai|la gi|lam duoc (?:nhung )?gi|"
                            r"giup duoc gi(?: cho toi)?|co the lam gi|biet gi|biet nhung gi|"
                            r"(?:co the )?giup (?:duoc )?(?:gi|nhung gi)(?: cho toi)?|"
                            r"tra loi duoc (?:nhung )?gi)|huong dan|ban giup gi duoc|"
                            r"toi co the hoi (?:nhung )?gi|"
                            r"hoi gi duoc|"
                            # "bạn có phải người thật không?"
                            r"(?:ban|bot|em) (?:co )?(?:phai )?(?:la )?(?:nguoi that|nguoi|"
                            r"robot|bot|may|ai|tri tue nhan tao|chatbot)"
                            r"(?: hay (?:la )?(?:may|robot|bot|ai|nguoi that|nguoi))?"
                            r"(?: khong| a| ha)?|"
                            r"(?:ban|bot) ten (?:la )?gi"),
    (SmallTalk.ABOUT, "en", r"i have a (?:quick )?question|quick question|"
                            r"can i ask (?:you )?(?:a question|something)|i want to ask|"
                            r"who are you|what are you|what can you do(?: for me)?|"
                            # "What kind of things can you help me with?"
                            r"what (?:kind of |sort of )?(?:things |questions )?can you "
                            r"(?:do|help(?: me)?(?: with)?|answer)(?: for me)?|"
                            r"what (?:kind of |sort of )?(?:things |questions |topics )?can i "
                            r"ask(?: you)?(?: about)?|"
                            r"what (?:topics |subjects )?do you (?:know|cover)(?: about)?|"
                            r"how can you help(?: me)?|can you help(?: me)?|"
                            r"how (?:do|can) i (?:use you|ask)|help|"
                            # ("how does it work?" after an answer asks about its subject)
                            r"how does this (?:bot )?work|how do you work|what is this bot|"
                            r"who (?:made|built|created) you|"
                            r"(?:do you speak|can you (?:speak|answer|reply)(?: questions)? in) "
                            r"(?:english|vietnamese)|"
                            r"(?:are you|is this) (?:a )?(?:real person|human|bot|robot|"
                            r"machine|person|an? ai|chatbot)(?: or (?:a )?(?:real person|human|"
                            r"bot|robot|machine|person|an? ai|chatbot))?|what is your name"),
)
_PATTERNS = tuple((kind, language, re.compile(rf"(?:{piece}){_ADDRESS}"))
                  for kind, language, piece in _PIECES)
# What the reply answers when a message holds several pieces: what it asks above all.
_PRIORITY = (SmallTalk.ABOUT, SmallTalk.THANKS, SmallTalk.GOODBYE, SmallTalk.GREETING)
# Small talk is short; a longer message is a question even if it opens like small talk.
MAX_WORDS = 10
_NOISE = re.compile(r"[^\w\s]|_")
# Vietnamese words a piece may end on ("bạn", "nhé"): they make an English piece Vietnamese.
_VIETNAMESE_ADDRESS = frozenset("ban em anh chi nhe nha a ah oi nhieu lam".split())
_EITHER_LANGUAGE = frozenset("ok oke oki okay bot ad admin".split())


def small_talk_and_language(message: str) -> tuple[SmallTalk, str] | None:
    """The kind of small talk a whole message is and the language ("vi", "en") of its words,
    which the reply is in; None for a real question."""
    words = _NOISE.sub(" ", fold(nfc(message))).split()
    if not words or len(words) > MAX_WORDS:
        return None
    pieces = _pieces(words)
    if pieces is None:
        return None  # something besides small talk: a question
    if "?" in message and any(_CLOSING_PIECE.fullmatch(text) for _, _, text in pieces):
        return None  # "không cần à?" asks
    kind = min((piece[0] for piece in pieces), key=_PRIORITY.index)
    # The reply is in the language of the most words; a tie is Vietnamese (ours first).
    counts = {"vi": 0, "en": 0}
    for _, language, text in pieces:
        spoken = [word for word in text.split() if word not in _EITHER_LANGUAGE]
        counts["vi"] += sum(1 for word in spoken if word in _VIETNAMESE_ADDRESS)
        counts[language] += sum(1 for word in spoken if word not in _VIETNAMESE_ADDRESS)
    return kind, "en" if counts["en"] > counts["vi"] else "vi"


def _pieces(words: list[str]) -> tuple[tuple[SmallTalk, str, str], ...] | None:
    """`words` split into small-talk pieces, longest first at each step, trying shorter
    ones when the rest does not split ("chào buổi sáng", not "chào" + "buổi sáng"); None when
    no split covers them all. Each tail is split once a message (and nothing is kept after
    it: a citizen's messages are not remembered)."""
    @cache
    def from_word(start: int) -> tuple[tuple[SmallTalk, str, str], ...] | None:
        if start == len(words):
            return ()
        for end in range(len(words), start, -1):
            text = " ".join(words[start:end])
            found = next(((kind, language) for kind, language, pattern in _PATTERNS
                          if pattern.fullmatch(text)), None)
            if found is None:
                continue
            rest = from_word(end)
            if rest is not None:
                return ((*found, text), *rest)
        return None
    return from_word(0)


def small_talk(message: str) -> SmallTalk | None:
    """The kind of small talk a whole message is, or None for a real question."""
    found = small_talk_and_language(message)
    return found[0] if found else None
