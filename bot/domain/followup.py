"""Reading a short follow-up with the subject of the question before it.

"Còn phường Hà Giang 2 thì sao?" after "Phường Hà Giang 1 được sáp nhập từ những đơn vị nào?"
asks the same about another ward; "khi nào?" after a question about a ceremony asks its date;
"năm 2023 thì sao?" asks about another year. A question that names its own subject, or is long
enough to stand alone, starts afresh.
"""

from __future__ import annotations

import re

from bot.domain.provinces import provinces_named
from bot.domain.scoring import ENGLISH_UNITS
from index import CAPITALISED_WORD, fold, nfc, syllables, typed_with_marks

# A follow-up this short (in syllables) with no name of its own leans on the previous question.
SHORT_FOLLOWUP = 12
# Words that open or close an elliptical question ("còn ... thì sao?", "what about ...?").
_MARKERS = re.compile(
    r"^\s*(?:(?:the|thế|vay|vậy|con|còn|and|what about|how about|và|(?:and |is it )?the "
    r"same (?:for|in|at)|same (?:for|in|at)|tương tự|tuong tu)\s+)+|"
    r"\s*(?:thi sao|thì sao|the nao|thế nào|nhi|nhỉ|then)?\s*\?*\s*$", re.IGNORECASE)
_OPENERS = ("con ", "the con ", "vay con ", "the ", "vay ", "trong do ", "what about ",
            "how about ", "and ")
# "Same for Cầu Giấy?", "Tương tự ở Cầu Giấy?": follow-ups only when short ("Same for me: how
# do I register a motorbike in Ba Dinh?" asks its own).
_SAME_OPENERS = ("same for ", "same in ", "the same for ", "the same in ", "and the same for ",
                 "is it the same for ", "is it the same in ", "tuong tu ")
# Places and bodies a question is about: "phường Hà Giang 1", "huyện Gò Quao", "trường Lý Tự
# Trọng". The unit word is matched folded, the name by its capitals (and a trailing number).
_UNITS = ("phuong", "xa", "quan", "huyen", "tinh", "thanh pho", "thi xa", "thi tran", "thon",
          "ap", "to dan pho", "khu pho", "truong", "benh vien", "tram y te", "ward", "commune",
          "district", "province", "city", "school")
# Units of one level stand for each other in a follow-up.
_LEVELS = (("phuong", "xa", "thi tran", "ward", "commune"),
           ("quan", "huyen", "thi xa", "district"), ("tinh", "thanh pho", "province", "city"))
_NAME = rf"(?:\s+(?:{CAPITALISED_WORD}|\d+(?![\d-])))+"
# A name of two or more capitalised words ("Ba Đình", "Cầu Giấy"), with no unit word before it.
_BARE_NAME = rf"{CAPITALISED_WORD}(?:\s+{CAPITALISED_WORD})+"
_YEAR = re.compile(r"\b(?:19|20)\d{2}(?:\s*-\s*(?:19|20)\d{2})?\b")
# English puts the unit word after the name ("Ba Dinh district"); it is no part of the name.
_ENGLISH_UNITS = "|".join(sorted(ENGLISH_UNITS))
_UNIT_AFTER_NAME = re.compile(rf"\s+(?i:{_ENGLISH_UNITS})\b")


def resolve(previous: str | None, question: str) -> str:
    """The question to answer: `question` itself, or read with `previous`'s subject."""
    question = nfc(question).strip()
    if not previous or not is_followup(question):
        return question
    previous = nfc(previous).strip()
    rest = own_words(question)
    merged = previous
    swapped = False
    places = _places(rest)
    for unit, name in places:
        replaced = _swap_place(merged, unit, name)
        swapped |= replaced != merged
        merged = replaced
    if not places:  # "còn Cầu Giấy thì sao?": a bare name takes the place of the last one
        for name in re.findall(_BARE_NAME, rest):
            replaced = _swap_name(merged, name)
            swapped |= replaced != merged
            merged = replaced
    for year in _YEAR.findall(rest):
        replaced = _YEAR.sub(year, merged, count=1)
        swapped |= replaced != merged
        merged = replaced
    if swapped and _only_subject(rest):
        return merged  # "còn phường X thì sao?": the same question about X
    return f"{merged.rstrip(' ?')}; {rest}?"


def is_followup(question: str) -> bool:
    """Elliptical: opens like a follow-up, or is short and names nothing of its own."""
    folded = fold(question).strip()
    if folded.startswith(_OPENERS):
        return True
    if len(syllables(question)) > SHORT_FOLLOWUP:
        return False
    if folded.startswith(_SAME_OPENERS):
        return True
    rest = own_words(question)
    # "năm 2023 thì sao?", "huyện Gò Quao thì xã nào?": a new subject, the rest left implicit.
    elliptical = _only_subject(rest) or _says_then(question)
    return elliptical or not _names_a_subject(question)


def _says_then(question: str) -> bool:
    """"thì" ("huyện Gò Quao thì xã nào?"); typed without diacritics, "thi" may be it, but
    with them "thi" is another word ("thi thể", "kỳ thi")."""
    question = nfc(question).lower()
    if re.search(r"\bthì\b", question):
        return True
    return fold(question) == question and bool(re.search(r"\bthi\b", question))


def asks_its_own(question: str) -> bool:
    """More than another subject: "cử tri phản ánh gì?" asks its own thing of the previous
    question's subject; "còn phường Cửa Nam thì sao?" asks the previous thing again."""
    return not _only_subject(own_words(question))


def has_question_words(question: str) -> bool:
    """A follow-up with question words of its own ("người đó bị con gì cắn, có tiêm phòng
    không?") asks what they ask, not the kind of fact the question before asked ("xã nào?");
    "còn phó chủ tịch?", "còn chùa Hương ra sao?" have none and ask as the one before did.
    Read with the marks where it has them: "chùa" is no "chưa", "không gian" no "không"."""
    words = own_words(question)
    if typed_with_marks(words):
        return bool(_QUESTION_WORDS_WRITTEN.search(words.lower()))
    return bool(_QUESTION_WORDS.search(fold(words)))


_QUESTION_WORDS = re.compile(r"\b(gi|khong(?! gian)|chua|nhu the nao|lam sao|tai sao|vi sao|"
                             r"what|how|why|whether)\b")
_QUESTION_WORDS_WRITTEN = re.compile(r"(?<!\w)(gì|không(?! gian)|chưa|như thế nào|làm sao|"
                                     r"tại sao|vì sao)(?!\w)")


def names_given(question: str) -> list[str]:
    """The places a follow-up's own words name, after a unit word or bare ("còn ở Cầu Giấy?"
    -> ["Cầu Giấy"], "what about Ba Dinh district?" -> ["Ba Dinh"]): what it asks about."""
    rest = own_words(question)
    names = [name for _, name in _places(rest)] + re.findall(_BARE_NAME, rest)
    stripped = (_UNIT_AFTER_NAME.sub("", name).strip() for name in names)
    return list(dict.fromkeys(name for name in stripped if name))


def own_words(question: str) -> str:
    """A follow-up without the words that make it one: "còn phó chủ tịch?" -> "phó chủ tịch"."""
    return _MARKERS.sub(" ", nfc(question)).strip(" ?")


def _names_a_subject(question: str) -> bool:
    """A place, a body or a year of its own: the question stands alone."""
    return bool(_places(question)) or bool(_YEAR.search(question)) or bool(
        re.search(rf"(?:^|\s){CAPITALISED_WORD}\s+{CAPITALISED_WORD}", question))


def _places(text: str) -> list[tuple[str, str]]:
    """(folded unit word, name as written) pairs in a text."""
    found = []
    for unit in _UNITS:
        for match in re.finditer(rf"(?<!\w)((?i:{_spelled(unit)})){_NAME}", text):
            name = match.group(0)[len(match.group(1)):].strip()
            found.append((unit, name))
    return found


def _swap_place(text: str, unit: str, name: str) -> str:
    """Replace the first place of the same level in `text` ("quận Tây Hồ" for "huyện Phúc
    Thọ": districts are urban or rural) with the new one, named as the follow-up names it."""
    level = next((group for group in _LEVELS if unit in group), (unit,))
    alternatives = "|".join(_spelled(u) for u in level)
    pattern = re.compile(rf"(?<!\w)(?i:{alternatives}){_NAME}")
    return pattern.sub(lambda _: f"{_written_unit(unit)} {name}", text, count=1)


def _swap_name(text: str, name: str) -> str:
    """Put `name` in place of the first place named in `text`, keeping its unit word; with no
    unit word, in place of the name most like it: a province for a province, one that opens
    with the same word ("Nguyễn Du" for "Nguyễn Trân"), else the last ("... ở Hoàn Kiếm?" ->
    "... ở Ba Đình?")."""
    alternatives = "|".join(_spelled(u) for u in _UNITS)
    pattern = re.compile(rf"(?<!\w)((?i:{alternatives})){_NAME}")
    if pattern.search(text):
        return pattern.sub(lambda m: f"{m.group(1)} {name}", text, count=1)
    names = list(re.finditer(_BARE_NAME, text))
    if not names:
        return text
    first = fold(name.split()[0]).lower()
    province = bool(provinces_named(name))
    alike = [m for m in names if province and provinces_named(m.group())] or [
        m for m in names if fold(m.group().split()[0]).lower() == first] or names
    chosen = alike[-1]
    return f"{text[:chosen.start()]}{name}{text[chosen.end():]}"


def _written_unit(unit: str) -> str:
    return {"phuong": "phường", "xa": "xã", "quan": "quận", "huyen": "huyện", "tinh": "tỉnh",
            "thanh pho": "thành phố", "thi xa": "thị xã", "thi tran": "thị trấn",
            "truong": "trường"}.get(unit, unit)


def _only_subject(rest: str) -> bool:
    """Nothing but a place or a year is asked ("phường Cửa Nam", "năm 2023", "Cầu Giấy")."""
    leftover = _YEAR.sub(" ", rest)
    for unit in _UNITS:
        leftover = re.sub(rf"(?<!\w)((?i:{_spelled(unit)})){_NAME}", " ", leftover)
    leftover = re.sub(_BARE_NAME, " ", leftover)
    # ...and English's unit word after a name ("Ba Dinh district") is part of the place.
    leftover = re.sub(rf"(?i)\b(năm|nam|year|in|of|the|ở|o|tại|tai|{_ENGLISH_UNITS})\b", " ",
                      leftover)
    return not leftover.strip(" ?,.")


def _spelled(unit: str) -> str:
    """A regex that matches a folded unit word however it is accented ("xa" -> "x[aàá...]")."""
    return "".join(_VARIANTS.get(ch, re.escape(ch)) for ch in unit)


_VARIANTS = {
    "a": "[aàáảãạăằắẳẵặâầấẩẫậ]", "e": "[eèéẻẽẹêềếểễệ]", "i": "[iìíỉĩị]",
    "o": "[oòóỏõọôồốổỗộơờớởỡợ]", "u": "[uùúủũụưừứửữự]", "y": "[yỳýỷỹỵ]", "d": "[dđ]",
    " ": r"\s+",
}
