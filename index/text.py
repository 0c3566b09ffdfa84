"""Vietnamese text handling: Unicode normalisation, diacritic folding, syllable tokens."""

from __future__ import annotations

import itertools
import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
_COMBINING_EXCEPT_NONE = re.compile(r"[\u0300-\u036f]")
# Sentence ends: . ! ? … followed by space and an upper-case letter, a quote or a digit.
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][\"”')\]]))\s+(?=[\"“'(\[]?[A-ZÀ-ỸĐ0-9])"
)


# Below this share of syllables with marks, a text is read as typed without diacritics.
ACCENTED_SHARE = 0.3


def nfc(text: str) -> str:
    """Vietnamese has precomposed and combining spellings of one letter; compare in NFC."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case and drop diacritics (đ -> d) so `huan chuong` matches `Huân chương`."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = _COMBINING_EXCEPT_NONE.sub("", decomposed)
    return unicodedata.normalize("NFC", stripped.replace("đ", "d"))


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese mark (or đ), i.e. it was typed with accents."""
    return fold(text) != nfc(text).lower()


def diacritic_share(text: str) -> float:
    """Share of syllables typed with a mark (or đ); Vietnamese prose is mostly above 0.6."""
    words = syllables(text)
    if not words:
        return 0.0
    return sum(fold(word) != word for word in words) / len(words)


def typed_with_marks(text: str) -> bool:
    """Whether a text (a question) was typed with its diacritics, most of them at least: the
    one test that decides how search and answering read it."""
    return diacritic_share(text) >= ACCENTED_SHARE


def syllables(text: str) -> list[str]:
    """Lower-cased NFC syllables (Vietnamese words are space-separated syllables)."""
    return _WORD.findall(nfc(text).lower())


def with_bigrams(tokens: list[str]) -> list[str]:
    """Syllables plus adjacent pairs: most Vietnamese words are two syllables long."""
    return tokens + [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]


def lexical_tokens(text: str) -> list[str]:
    """Tokens for the as-written lexical channel."""
    return with_bigrams(syllables(text))


def folded_tokens(text: str) -> list[str]:
    """Tokens for the diacritics-folded lexical channel."""
    return with_bigrams([fold(token) for token in syllables(text)])


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping each one verbatim."""
    pieces: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if paragraph:
            credited = _CREDIT.sub(lambda m: f"{m.group(1)}{m.group(2).rstrip()}\n", paragraph)
            for part in credited.split("\n"):
                pieces.extend(_sentences_of(part))
    return pieces


# A full stop that ends an abbreviation, not a sentence: "TP. Hồ Chí Minh", "CT. HĐND xã",
# "(Q. 1)", "P. Bến Nghé", "ThS. Lê Văn A". (Another capital letter may end one: "Phương án A.";
# and after a name, "Q." and "P." are initials: "Nguyễn Văn P. Sau đó, ...")
_ABBREVIATED = re.compile(r"(?:^|[\s(\-–])(TP|Tp|CT|PCT|TX|TT|ThS|TS|PGS|GS|BS|KS|NXB|Q|P)\.$")


def _ends_in_abbreviation(text: str) -> bool:
    found = _ABBREVIATED.search(text)
    if found is None:
        return False
    if len(found.group(1)) > 1:
        return True
    before = text[:found.start(1)].split()
    return not (before and before[-1][:1].isupper())


def _sentences_of(part: str) -> list[str]:
    """A line's sentences, verbatim (the spaces inside each as written), not cut after an
    abbreviation."""
    sentences, start = [], 0
    for end in _SENTENCE_END.finditer(part):
        if not _ends_in_abbreviation(part[start:end.start()]):
            sentences.append(part[start:end.start()].strip())
            start = end.end()
    sentences.append(part[start:].strip())
    return [sentence for sentence in sentences if sentence]


# Upper-case letters of Vietnamese: `[A-ZÀ-Ỹ]` would also take most lower-case ones.
UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
# A word written with a capital: in a question or a sentence, a name of a person, place or body.
CAPITALISED_WORD = rf"[{UPPER}][\w]*"
# A photo credit glued to the next sentence by a crawler ("... về nhà, chiều 30/1. Ảnh:Tân Đệ
# Tổng công ty May 10 ..."): after a sentence's end, "Ảnh:" and a run of two to four
# capitalised words, then a lower-case one. The run's last word opens the next sentence
# ("Tổng công ty", "Cụ thể"); the words before it are the credit. A longer run, a one-letter
# last word ("Bộ Y tế") or a credit inside a sentence is left as it is.
_CREDIT = re.compile(
    rf"(^|(?<=[.!?…])\s*)((?:Ảnh|Hình):\s?(?:{CAPITALISED_WORD}\s){{1,3}})"
    rf"(?=[{UPPER}]\w+\s+(?![{UPPER}\d])\w)")


# English words that open a question or a sentence with a capital and name nothing: "Will
# E5 RON 92 still be sold?", "How many ...". (Not "Can", "An", "To": "Can Gio", "An Giang".)
_OPENING_WORDS = frozenset("""
i it we our you your is are was were will would could should does did have has had how
what when where which who why if please tell show under after before during in on for from
with about there this that these those the
""".split())
_OPENING = re.compile(
    rf"(?:^|(?<=[.?!:;]))\s*(?:(?:{'|'.join(sorted(_OPENING_WORDS, key=len, reverse=True))})"
    r"(?:'\w+)?\s+)+", re.IGNORECASE)


def without_opening_words(text: str) -> str:
    """`text` with the English function words that open it or a sentence of it lowered, so
    that capitalised runs are names only: "Will E5 RON 92 be sold? How long?" -> "will E5
    RON 92 be sold? how long?"."""
    return _OPENING.sub(lambda match: match.group(0).lower(), text)
