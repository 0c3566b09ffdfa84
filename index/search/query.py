"""One decision about a question, made once: which language, whether it carries diacritics, and
the text each reader (the model, the lexical channels, the answer's word matching) should see.

Vietnamese typed without marks gets the corpus's spelling back for the model. A question in
another language (English) keeps its own words for the model, which reads English, and gets a
Vietnamese rendering of its civic terms from a reviewed glossary for the lexical channels, so
"Which streets lose water in Binh Hung Hoa ward?" also matches "ngưng cung cấp nước ... phường
Bình Hưng Hòa". Every later step reads this object instead of deciding again.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from index.text import (
    CAPITALISED_WORD,
    fold,
    nfc,
    syllables,
    typed_with_marks,
    without_opening_words,
)

# Below this share of syllables the corpus knows (folded), an unmarked question is not
# Vietnamese: English, mostly.
VIETNAMESE_SHARE = 0.6
GLOSSARY = Path(__file__).with_name("glossary_en_vi.tsv")

Language = Literal["vi", "en"]
_CAPITALISED = re.compile(rf"{CAPITALISED_WORD}(?:[ -]{CAPITALISED_WORD})+")
_WORD = re.compile(r"[\w'-]+")
_MARKED_WORD = r"\w*[À-ỹĐđ]\w*"  # a word with a Vietnamese mark (or đ)
# ...with the capitalised words of its name around it ("Hoàng Mai").
_MARKED_RUN = re.compile(rf"(?<!\w)(?:{_MARKED_WORD}|{CAPITALISED_WORD})"
                         rf"(?:\s+(?:{_MARKED_WORD}|{CAPITALISED_WORD}))*(?!\w)")
_NUMBER = re.compile(r"\d[\d/.,:-]*\d|\d")


@dataclass(frozen=True)
class Query:
    """A question as every step of search and answering reads it."""

    typed: str  # NFC, trimmed: what the citizen wrote
    unmarked: bool  # Vietnamese typed without (or with few) diacritics
    language: Language  # the question's language: replies follow it
    readable: str  # for the embedding model: diacritics restored when they were missing
    lexical: str  # for word matching: Vietnamese, with a glossary rendering of English terms
    # English only: each concept's Vietnamese wordings ("district" -> quận | huyện), so a
    # quote that uses one wording covers the concept.
    concepts: tuple[tuple[str, ...], ...] = ()
    # English only: the words that carry meaning but neither a name nor the glossary read
    # ("fastest", "scratch"): what of the question the word channels never see.
    unread: tuple[str, ...] = ()

    @property
    def accented(self) -> bool:
        """Vietnamese with its marks: the model and the as-written words can be trusted."""
        return self.language == "vi" and not self.unmarked


def understand(question: str, known_share: Callable[[str], float],
               restore: Callable[[str], str]) -> Query:
    """Decide once how to read `question`.

    `known_share(text)` is the share of its syllables the corpus knows once folded;
    `restore(text)` gives Vietnamese typed without marks the corpus's spelling.
    """
    typed = nfc(question).strip()
    marked = typed_with_marks(typed)
    if marked:
        return Query(typed, False, "vi", typed, _english_rendered(typed, known_share, restore))
    if not syllables(typed) or known_share(typed) >= VIETNAMESE_SHARE:
        restored = _question_words(typed, restore(typed)) if syllables(typed) else typed
        return Query(typed, True, "vi", restored, restored)
    concepts, unread = _read_english(typed, restore)
    return Query(typed, False, "en", typed, " ".join(" ".join(c) for c in concepts), concepts,
                 unread)


# A run of English in a Vietnamese question: plain letters (and "'", "-"), spaces between.
_PLAIN_WORD = r"(?<!\w)[A-Za-z][A-Za-z'-]*(?!\w)"
_PLAIN_RUN = re.compile(rf"{_PLAIN_WORD}(?:\s+{_PLAIN_WORD})*")


def _english_rendered(typed: str, known_share: Callable[[str], float],
                      restore: Callable[[str], str]) -> str:
    """A Vietnamese question with English in it ("Công ty may Tân Đệ thưởng Tết, what's the
    lowest bonus?"): the English words the corpus never writes give way to the glossary's
    Vietnamese for them, so the word channels and the quote's coverage read them."""
    def rendered(match: re.Match[str]) -> str:
        words = match.group(0).split()
        foreign = [i for i, word in enumerate(words) if not known_share(word)]
        if not foreign or (len(foreign) == 1 and words[foreign[0]].lower()
                           not in _glossary_words()):  # a stray word: a name, a typo
            return match.group(0)
        first, last = foreign[0], foreign[-1]
        english = " ".join(words[first:last + 1])
        wordings = [" ".join(c) for c in vietnamese_concepts(english, restore)]
        return " ".join([*words[:first], *wordings, *words[last + 1:]])
    return _PLAIN_RUN.sub(rendered, typed)


# Question words, folded -> written. Articles state, they rarely ask, so the corpus's own
# spelling of "bao nhieu" can be "bảo nhiều"; these are never left to it.
_QUESTION_WORDS = {
    ("bao", "nhieu"): ("bao", "nhiêu"), ("o", "dau"): ("ở", "đâu"),
    ("tai", "dau"): ("tại", "đâu"), ("khi", "nao"): ("khi", "nào"),
    ("bao", "gio"): ("bao", "giờ"), ("the", "nao"): ("thế", "nào"),
    ("tai", "sao"): ("tại", "sao"), ("vi", "sao"): ("vì", "sao"),
    ("la", "gi"): ("là", "gì"), ("nhung", "gi"): ("những", "gì"),
    ("lam", "sao"): ("làm", "sao"), ("may", "gio"): ("mấy", "giờ"),
    ("duoc", "khong"): ("được", "không"), ("hay", "khong"): ("hay", "không"),
    ("chua", "nhi"): ("chưa", "nhỉ"), ("bao", "lau"): ("bao", "lâu"),
    # A citizen asks about themself and their family, politely: "tôi", not "tới" or "tối"
    # (what articles write), "xin hỏi", "có nên", "ạ".
    ("toi", "bi"): ("tôi", "bị"), ("toi", "co"): ("tôi", "có"),
    ("toi", "muon"): ("tôi", "muốn"), ("toi", "can"): ("tôi", "cần"),
    ("toi", "dang"): ("tôi", "đang"), ("toi", "nen"): ("tôi", "nên"),
    ("toi", "phai"): ("tôi", "phải"), ("toi", "duoc"): ("tôi", "được"),
    ("toi", "la"): ("tôi", "là"), ("toi", "sinh"): ("tôi", "sinh"),
    ("cho", "toi"): ("cho", "tôi"), ("cua", "toi"): ("của", "tôi"),
    ("vo", "toi"): ("vợ", "tôi"), ("chong", "toi"): ("chồng", "tôi"),
    ("con", "toi"): ("con", "tôi"), ("me", "toi"): ("mẹ", "tôi"), ("bo", "toi"): ("bố", "tôi"),
    ("nha", "toi"): ("nhà", "tôi"), ("gia", "dinh"): ("gia", "đình"),
    ("xin", "hoi"): ("xin", "hỏi"), ("cho", "hoi"): ("cho", "hỏi"),
    ("muon", "hoi"): ("muốn", "hỏi"), ("thua", "bac"): ("thưa", "bác"),
    ("co", "nen"): ("có", "nên"), ("co", "phai"): ("có", "phải"),
    ("co", "can"): ("có", "cần"), ("co", "duoc"): ("có", "được"), ("co", "bi"): ("có", "bị"),
    ("khong", "a"): ("không", "ạ"), ("chua", "a"): ("chưa", "ạ"), ("gi", "a"): ("gì", "ạ"),
    ("nao", "a"): ("nào", "ạ"), ("vay", "a"): ("vậy", "ạ"),
    ("chau", "bi"): ("cháu", "bị"), ("chau", "co"): ("cháu", "có"),
    ("chau", "da"): ("cháu", "đã"), ("chau", "duoc"): ("cháu", "được"),
    ("chau", "nha"): ("cháu", "nhà"), ("chau", "toi"): ("cháu", "tôi"),
    ("thi", "sao"): ("thì", "sao"),
    ("can", "gi"): ("cần", "gì"), ("can", "nhung"): ("cần", "những"),
    ("mat", "phi"): ("mất", "phí"), ("ton", "phi"): ("tốn", "phí"),
    ("trang", "nao"): ("trang", "nào"), ("web", "nao"): ("web", "nào"),
    # "mấy" before what is counted; articles write "máy" (machine) far more often.
    **{("may", unit): ("mấy", spelled) for unit, spelled in (
        ("ngay", "ngày"), ("thang", "tháng"), ("nam", "năm"), ("lan", "lần"),
        ("nguoi", "người"), ("tuoi", "tuổi"), ("mui", "mũi"), ("buoc", "bước"),
        ("loai", "loại"), ("phuong", "phường"), ("xa", "xã"))},
}
# Words after "toi" that make it no pronoun: "tối đa", "tối thiểu", "tội phạm", "tới đây".
_NOT_I = frozenset("da thieu uu cao nay qua hom pham danh ac day luot han ngay".split())
# Words after "ai" that make it no "who" ("ái quốc", "ái hữu"): statements hardly ever write
# "ai", so the corpus would spell the question's "who" "ái".
_NOT_WHO = frozenset("quoc huu mo tinh ngai".split())
# ...and the ones that end a question ("có mất phí không", "phường nào").
_LAST_WORDS = {"khong": "không", "nao": "nào", "gi": "gì", "chua": "chưa", "dau": "đâu",
               "vay": "vậy", "a": "ạ"}


def _question_words(typed: str, restored: str) -> str:
    """`restored` with the question words of `typed` spelled as questions spell them."""
    folded = [fold(word) for word in syllables(typed)]
    words = restored.split()
    if len(words) != len(folded):
        return restored
    for i, pair in enumerate(itertools.pairwise(folded)):
        if pair in _QUESTION_WORDS:
            words[i], words[i + 1] = _QUESTION_WORDS[pair]
    if folded[-1] in _LAST_WORDS:
        words[-1] = _LAST_WORDS[folded[-1]]
    for i, key in enumerate(folded):  # "toi" asks as "tôi" unless it is "tối đa", "tội phạm"
        after = folded[i + 1] if i + 1 < len(folded) else ""
        if key == "toi" and after not in _NOT_I:
            words[i] = "tôi"
        elif key == "ai" and after not in _NOT_WHO:
            words[i] = "ai"
    return " ".join(words)


def vietnamese_concepts(question: str, restore: Callable[[str], str]
                        ) -> tuple[tuple[str, ...], ...]:
    """An English question's names, civic terms (each with its Vietnamese wordings) and
    numbers, in that order."""
    return _read_english(question, restore)[0]


# English words that carry no meaning of their own in a question.
_FUNCTION_WORDS = frozenset("""a an the of in on at to for from by with about into over under
    after before during and or but if then than so as is are was were be been being do does did
    done have has had will would shall should can could may might must i me my we our you your
    he she it its they them their this that these those there here what which who whom whose
    when where why how much many some any all each every no not yes please tell know want need
    also just only very more most less again still now today ever anyone someone something
    anything up out off down one way thing things let us im ok okay get gets got getting go
    goes going went take takes took bring long his her am dont doesnt didnt isnt arent cant
    wont its theres whats hows""".split())


@cache
def _function_stems() -> frozenset[str]:
    """The function words as `_read_english` sees them, stemmed ("does" -> "doe")."""
    return _FUNCTION_WORDS | {_stem(word) for word in _FUNCTION_WORDS}


def _read_english(question: str, restore: Callable[[str], str]
                  ) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The concepts of `vietnamese_concepts`, and the words that carry meaning but neither a
    name nor the glossary read."""
    words: list[tuple[str, ...]] = []
    # Vietnamese written with its marks inside the English ("the 'Giọt hồng xứ Nghệ' day",
    # "tất niên parties") is a concept as typed; its words are no English.
    question = without_opening_words(question)
    for run in _MARKED_RUN.findall(question):
        name = _without_english_ends(run)
        if re.search(_MARKED_WORD, name):
            words.append((name,))
            question = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " | ", question, count=1)
    lowered = " " + " ".join(_WORD.findall(question)) + " "
    for name in _CAPITALISED.findall(question):
        if not all(w.lower() in _glossary_words() for w in name.split()):
            words.append((restore(name),))
            # "Sam Son" is a place, not "son" (con trai): a name's words are not glossary terms.
            spelled = " ".join(_WORD.findall(name))
            lowered = lowered.replace(f" {spelled} ", " | ")
    lowered = " " + " ".join(_stem(word) for word in lowered.lower().split()) + " "
    for phrase, vietnamese in _glossary():
        if f" {phrase} " in lowered:
            words.append(vietnamese)
            lowered = lowered.replace(f" {phrase} ", " | ")
    words += [(number,) for number in _NUMBER.findall(question)]
    unread = tuple(word for word in lowered.split()
                   if word != "|" and len(word) > 1 and not _NUMBER.fullmatch(word)
                   and word.replace("'", "") not in _function_stems())
    return tuple(words), unread


def _without_english_ends(run: str) -> str:
    """A run of capitalised and marked words without the English glossary words at its ends:
    "Hà Nội People" (of "People's Committee") -> "Hà Nội", "Ward Tân Định" -> "Tân Định"."""
    words = run.split()
    while words and not re.search(_MARKED_WORD, words[0]) and words[0].lower() in _glossary_words():
        words.pop(0)
    while words and not re.search(_MARKED_WORD, words[-1]) and (
            words[-1].lower() in _glossary_words()):
        words.pop()
    return " ".join(words)


def _stem(word: str) -> str:
    """An English word without its inflection ("honoured", "honours" -> "honour" -> "honor"):
    the glossary lists a term once or in a few forms, a question uses any of them."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[:-len(suffix)]
            break
    return word[:-3] + "or" if len(word) >= 6 and word.endswith("our") else word


@cache
def _glossary_entries() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The glossary file's lines as (english phrase lowered, vietnamese wordings)."""
    entries = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, _, vietnamese = line.partition("\t")
        entries.append((english.strip().lower(),
                        tuple(nfc(v.strip()) for v in vietnamese.split("|") if v.strip())))
    return tuple(entries)


@cache
def _glossary() -> list[tuple[str, tuple[str, ...]]]:
    """(english phrase stemmed, vietnamese wordings), longest phrase first. The forms of one
    term share their wordings ("honoured": tuyên dương, "honour": vinh danh -> both)."""
    wordings: dict[str, dict[str, None]] = {}
    for english, vietnamese in _glossary_entries():
        stemmed = " ".join(_stem(word) for word in english.split())
        wordings.setdefault(stemmed, {}).update(dict.fromkeys(vietnamese))
    return sorted(((phrase, tuple(found)) for phrase, found in wordings.items()),
                  key=lambda entry: -len(entry[0]))


@cache
def _glossary_words() -> frozenset[str]:
    """Every English word the glossary knows, in any of its forms."""
    words = {word for english, _ in _glossary_entries() for word in english.split()}
    return frozenset(words | {_stem(word) for word in words})
