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
            pieces.extend(s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip())
    return pieces


# Upper-case letters of Vietnamese: `[A-ZÀ-Ỹ]` would also take most lower-case ones.
UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
# A word written with a capital: in a question or a sentence, a name of a person, place or body.
CAPITALISED_WORD = rf"[{UPPER}][\w]*"
