"""How well a text answers a question, by its words: the question's rare terms (names weigh
most), folded so diacritics never matter, and whether a text contains them.

Every tuning constant has a name and a reason here; the answerer combines these scores with
the model's sense of meaning.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.domain.abbreviations import with_abbreviations
from bot.domain.titles import names_a_person
from index import (
    CAPITALISED_WORD,
    Index,
    Query,
    fold,
    has_diacritics,
    nfc,
    syllables,
    typed_with_marks,
)

# A syllable pair weighs as much as its syllables together times this: a pair present in a
# text says more than its syllables scattered, but accidental pairs across a clause are rare
# words with no meaning, so the pair's own (high) rarity is not used.
PAIR_WEIGHT = 0.75
# A name ("Tây Hồ", "Hoàn Kiếm") says which place the question is about: it weighs double.
NAME_WEIGHT = 2.0
# A follow-up's own words weigh this much more than those it borrows from the question before.
FOCUS_WEIGHT = 3.0
# A place: a unit word, then a capitalised name or a number ("phường Cửa Nam", "Phường 6",
# "ga Sài Gòn").
_UNITS = ("phường|xã|quận|huyện|tỉnh|thành phố|thị xã|thị trấn|thôn|ấp|tổ dân phố|khu phố|ga|"
          "sân bay|bến xe|cảng|bệnh viện")
_PLACE_NAME = rf"((?:\s+{CAPITALISED_WORD})+|\s+\d+\b)"
_PLACE = re.compile(rf"(?i:\b({_UNITS})){_PLACE_NAME}")
# Typed without diacritics ("phuong Ngoc Lam"), the unit words lose theirs too; in a text
# with diacritics "quan" is "tham quan Yên Tử", not a district.
_UNMARKED_PLACE = re.compile(rf"(?i:\b({fold(_UNITS)})){_PLACE_NAME}")


def _places_in(text: str) -> Iterator[re.Match[str]]:
    return (_PLACE if has_diacritics(text) else _UNMARKED_PLACE).finditer(text)

# Question words and function words, as written: they say how to ask, not what is asked. In a
# text typed with its marks they are told by them: there "vay" is a loan, not "vậy"; "vé",
# "hội", "chợ", "thuốc", "căn", "tối đa" are what is asked, not "về", "hỏi", "cho", "thuộc",
# "cần", "tôi". English ones are written as they are.
_WRITTEN_STOPWORDS = frozenset("""
ai gì nào đâu bao nhiêu khi sao thế vậy à ạ ah nhé ơi xin hỏi cho biết tôi mình bạn em anh
ở tại của là có không được và thì như này đó mấy những các một với về từ đến tới hay hoặc đã
sẽ đang phải cần làm bị bởi nên thuộc trong ngoài trên dưới sau trước rồi cũng nữa
who what when where which why how is are was were be been the a an of in on at to for from by
with and or did does do has have had it its this that there please tell me about
""".split())
# ...and folded, for a text typed without marks.
_STOPWORDS = frozenset(fold(word) for word in _WRITTEN_STOPWORDS)
# Words written without marks that fold into a function word yet are none: "vay vốn" (a
# loan), "Ban Dân vận" (a board), "tu bổ" (to restore), "can thiệp" (to intervene).
_UNMARKED_CONTENT = frozenset({"vay", "ban", "tu", "can"})


def content_terms(text: str, marked: bool | None = None) -> list[str]:
    """Folded content syllables of a question, and adjacent pairs of them. Function words are
    told by their marks when it was typed with them (`marked`; by default, when the text has
    them): "vay vốn" asks a loan. Marks the restorer gave a question typed without them are
    its guess, weakest on a citizen's own words ("ban" for "bạn"): folded ones decide there."""
    written = syllables(text)
    words = [fold(w) for w in written]
    if marked is None:
        marked = typed_with_marks(text)
    if marked:  # a word left without its marks there is read as the folded list reads it
        function = [w in _WRITTEN_STOPWORDS or (w == f and f in _STOPWORDS and f not in
                                                _UNMARKED_CONTENT)
                    for w, f in zip(written, words, strict=True)]
    else:
        function = [w in _STOPWORDS for w in words]
    content = [w for w, f in zip(words, function, strict=True) if not f]
    pairs = [f"{a}_{b}" for (a, fa), (b, fb) in itertools.pairwise(zip(words, function,
                                                                      strict=True))
             if not fa and not fb]
    return content + pairs


def proper_names(text: str) -> set[str]:
    """Folded pairs of capitalised syllables after the first word: "Tây Hồ", "Hoàn Kiếm"."""
    words = nfc(text).split()[1:]
    names = set()
    for a, b in itertools.pairwise(words):
        a, b = a.strip(".,;:?!\"'()"), b.strip(".,;:?!\"'()")
        if a[:1].isupper() and b[:1].isupper():
            names.add(f"{fold(a)}_{fold(b)}")
    return names


# A name of two or more capitalised words after "ở", "tại" (or English "in", "at"): "thu gom
# rác ở Cầu Giấy", "in Hai Ba Trung" name a place as surely as "quận Cầu Giấy" does.
_AT_PLACE = re.compile(
    rf"(?<!\w)(?:ở|tại|(?i:in|at))\s+({CAPITALISED_WORD}(?:\s+{CAPITALISED_WORD})+)")
# English puts the unit word after a place's name ("Ba Dinh district", "Dong Anh town"): the
# unit is no part of the name.
ENGLISH_UNITS = frozenset("city district ward commune province town village".split())


def place_names(text: str) -> set[str]:
    """Folded names of the places a question names after a unit word ("phường Tân Sơn Nhì",
    "huyện Vĩnh Thuận", "Phường 6") or after "ở"/"tại" ("ở Cầu Giấy"): as syllable pairs, or
    the unit and its number."""
    places = set()
    text = nfc(text)
    for match in _places_in(text):
        unit, name = fold(match.group(1)), match.group(2).split()
        if name[0].isdigit():
            places.add(f"{unit.split()[-1]}_{name[0]}")
        places.update(f"{fold(a)}_{fold(b)}" for a, b in itertools.pairwise(name))
    for match in _AT_PLACE.finditer(text):
        # English puts the unit after the name: "Ho Chi Minh City", "Ba Dinh District".
        name = [word for word in match.group(1).split() if word.lower() not in ENGLISH_UNITS]
        places.update(f"{fold(a)}_{fold(b)}" for a, b in itertools.pairwise(name))
    return places


# A ward or district typed in lower case ("tong chi ngan sach quan tay ho", read as "quận tây
# hồ"; a province is read by `provinces`): the unit word with its marks (the question's, or
# those the restorer gave it: "quản lý" is no district), then two words that are no question
# or function words, and after them the question's end, a number or a function word: "tại
# huyện để hưởng ứng", "phường bắt trả lại" name none.
_LOWER_CASE_PLACE = re.compile(r"(?<!\w)(?:phường|xã|quận|huyện|thị xã|thị trấn)"
                               r"\s+([a-zà-ỹđ]+)\s+([a-zà-ỹđ]+)(?:\s*$|\s*[\d?,.!;]|\s+(\w+))")


def lower_case_places(readable: str) -> set[str]:
    """Folded name pairs of the places a Vietnamese question names in lower case, read from
    its marked (or restored) form: "quận tây hồ" -> {"tay_ho"}."""
    places = set()
    for first, second, after in _LOWER_CASE_PLACE.findall(nfc(readable)):
        words = [fold(first), fold(second)]
        if not _STOPWORDS & set(words) and (not after or fold(after) in _STOPWORDS):
            places.add("_".join(words))
    return places


# Capitalised words after a unit word that begin no name: "HĐND tỉnh Khóa XII", a heading.
_NOT_NAMES = frozenset("khoa ky lan dot vao tai ve va theo trong thang ngay".split())


def places_named(text: str) -> list[tuple[str, str]]:
    """Each place a text names after a unit word, in reading order, as (folded unit, folded
    name): ("phuong", "dong quang"), ("phuong", "6")."""
    text = nfc(text)
    found = [(fold(m.group(1)).lower(), fold(m.group(2)).strip()) for m in _places_in(text)
             if not names_a_person(text[:m.start()], m.group(2))]
    return [(unit, name) for unit, name in found if name.split()[0] not in _NOT_NAMES]


# A thing known by its number: a grade ("lớp 10"), a council session ("kỳ họp thứ 7").
_NUMBERED = re.compile(r"\b(lop|khoi|ky hop)\s+(?:thu\s+)?(\d+)\b")


def numbered_names(text: str) -> set[str]:
    """The grades and sessions a text names, folded: {"lop 10", "ky hop 7"}."""
    return {f"{kind} {number}" for kind, number in _NUMBERED.findall(fold(nfc(text)).lower())}


def same_place(name: str, other: str) -> bool:
    """Two folded names of one place: equal, or one runs on into more capitalised words
    ("dong quang" and "dong quang ngay" read off "phường Đông Quang Ngày 5/3...")."""
    return name == other or name.startswith(f"{other} ") or other.startswith(f"{name} ")


@dataclass(frozen=True)
class Terms:
    """The words of a question that carry meaning, each weighted by how rare it is."""

    words: list[str]
    weights: list[float]
    # An English question's concepts: for each, its Vietnamese wordings as index ranges
    # into `words`; a concept is as covered as its best-covered wording.
    concepts: tuple[tuple[range, ...], ...] = ()

    @classmethod
    def of_query(cls, query: Query, index: Index | None = None) -> Terms:
        """A Vietnamese question's terms, or an English one's concepts."""
        if not query.concepts:
            return cls.of(query.lexical, index, marked=not query.unmarked)
        words: list[str] = []
        weights: list[float] = []
        concepts = []
        for wordings in query.concepts:
            ranges = []
            for wording in wordings:
                terms = cls.of(wording, index)
                ranges.append(range(len(words), len(words) + len(terms.words)))
                words += terms.words
                weights += terms.weights
            concepts.append(tuple(r for r in ranges if len(r)))
        return cls(words, weights, tuple(c for c in concepts if c))

    def stressing(self, text: str) -> Terms:
        """The same terms, those of `text` weighing FOCUS_WEIGHT times more: a follow-up's own
        words say what it asks; the previous question's only what about."""
        focus = set(content_terms(text))
        weights = [w * (FOCUS_WEIGHT if t in focus else 1.0)
                   for t, w in zip(self.words, self.weights, strict=True)]
        return Terms(self.words, weights, self.concepts)

    def without(self, syllables_left_out: set[str]) -> Terms:
        """The same terms but those holding any of these folded syllables (a place's name)."""
        kept = [(t, w) for t, w in zip(self.words, self.weights, strict=True)
                if not syllables_left_out & set(t.split("_"))]
        return Terms([t for t, _ in kept], [w for _, w in kept])

    @classmethod
    def of(cls, question: str, index: Index | None = None,
           marked: bool | None = None) -> Terms:
        words = content_terms(question, marked)
        rarity = index.term_weights(words) if index is not None else [1.0] * len(words)
        names = proper_names(question)
        idf = dict(zip(words, rarity, strict=True))
        weights = []
        for word in words:
            if "_" not in word:
                weights.append(idf[word])
                continue
            # A pair weighs as its syllables together, not by its own rarity (accidental pairs
            # across a clause are rare and meaningless); names weigh double.
            first, second = word.split("_", 1)
            pair = PAIR_WEIGHT * (idf.get(first, 1.0) + idf.get(second, 1.0))
            weights.append(pair * (NAME_WEIGHT if word in names else 1.0))
        return cls(words, weights)


def folded_context(text: str) -> set[str]:
    """Folded syllables and adjacent pairs of a text: what question terms are matched against.
    Folding the whole text once gives the same syllables as folding each (and is much faster
    on long articles). Abbreviations count as the words they stand for, and back."""
    words = syllables(fold(text))
    return with_abbreviations(set(words) | {f"{a}_{b}" for a, b in itertools.pairwise(words)})


def coverage(terms: Terms, text: str) -> float:
    """Weighted share of the question's terms present in a text, diacritics folded."""
    return covered(terms, folded_context(text))


def covered(terms: Terms, present: set[str]) -> float:
    if terms.concepts:
        return _concepts_covered(terms, present)
    total = sum(terms.weights)
    if total <= 0:
        return 0.0
    return sum(w for t, w in zip(terms.words, terms.weights, strict=True) if t in present) / total


def _concepts_covered(terms: Terms, present: set[str]) -> float:
    """Each concept weighs as its wordings on average and counts by its best-covered one."""
    total = got = 0.0
    for wordings in terms.concepts:
        sizes = [sum(terms.weights[i] for i in wording) for wording in wordings]
        weight = sum(sizes) / len(sizes)
        shares = [sum(terms.weights[i] for i in wording if terms.words[i] in present) / size
                  for wording, size in zip(wordings, sizes, strict=True) if size > 0]
        total += weight
        got += weight * max(shares, default=0.0)
    return got / total if total > 0 else 0.0
