"""Titles of office: a question about the Chairman is not answered by the Vice-Chairman, nor
the People's Committee's chairman by the People's Council's or the State's ("Chủ tịch nước"),
nor one ward's by another's.

Government news names deputies far more often than the heads they stand for ("Phó Chủ tịch
UBND quận ... tiếp công dân"), so the closest sentence to "Ai là chủ tịch UBND quận?" is often
about a "Phó Chủ tịch". A sentence that holds an asked title only with "phó" (deputy) before
it speaks of someone else.
"""

from __future__ import annotations

import functools
import re

from index import CAPITALISED_WORD, fold, has_diacritics, nfc

# Folded titles of office, head and deputy alike ("phó" goes before each).
_WRITTEN = ("chủ tịch", "bí thư", "giám đốc", "thủ tướng", "bộ trưởng", "hiệu trưởng",
            "chánh án", "viện trưởng", "cục trưởng", "chánh văn phòng", "trưởng phòng",
            "trưởng ban", "chỉ huy trưởng", "trưởng công an",
            # ranks: "Trung tá CSGT ... tên là gì?" is answered by "Trung tá Lao Hoàng Hải"
            "thiếu úy", "trung úy", "thượng úy", "đại úy", "thiếu tá", "trung tá", "thượng tá",
            "đại tá", "thiếu tướng", "trung tướng", "thượng tướng", "đại tướng")
_TITLES = tuple(fold(title) for title in _WRITTEN)
# A question typed with its marks names a title as written: "bị thu giữ" is no "bí thư".
_AS_WRITTEN = dict(zip(_TITLES, _WRITTEN, strict=True))
# English wordings of the same titles, and English's words for a deputy.
_ENGLISH = {"chairman": "chu tich", "chairwoman": "chu tich", "chairperson": "chu tich",
            "chairs": "chu tich", "chair": "chu tich", "party secretary": "bi thu",
            "director": "giam doc", "prime minister": "thu tuong", "minister": "bo truong",
            "principal": "hieu truong", "chief justice": "chanh an",
            "lieutenant colonel": "trung ta"}
_DEPUTY = r"(?:pho|vice|deputy)[\s-]+"
# The body a title heads, folded: "Chủ tịch UBND" is not "Chủ tịch HĐND" nor "Chủ tịch
# UBMTTQ", though all three are "chủ tịch".
_BODIES = {"ubnd": r"ubnd|uy ban nhan dan|people'?s committee",
           "hdnd": r"hdnd|hoi dong nhan dan|people'?s council|council",
           "mttq": r"ubmttq\w*|uy ban mttq\w*|uy ban mat tran to quoc|mttq\w*|mat tran to quoc"
                   r"|fatherland front",
           # the State's and the National Assembly's, and a mass association's
           "nuoc": r"nuoc", "quoc_hoi": r"quoc hoi|national assembly",
           # Hội Nông dân, Hội LHPN, Hội CCB...: capitalised, as "hỏi" (asks) is not
           "hoi": r"(?-i:Hoi|HOI) (?!dong\b|nghi\b)\w+"}
_BODY = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _BODIES.items())
_UNIT = r"xa|phuong|quan|huyen|thi xa|thi tran|thanh pho|tinh|tp\.?"
# The place after a title's body: its unit, then capitalised words ("phường Phú Cường").
_PLACE = rf"(?:(?i:{_UNIT})\s*(?P<place>[A-Z][a-z]*(?:\s+[A-Z0-9][a-z0-9]*){{0,3}}))?"
# A place name is not a person's: "Chủ tịch UBND quận Nguyễn Văn A" names no quận. Names
# that begin with a common family name are read as a person's (a ward named "Lê Lợi" then
# goes unchecked, which only lets a quote through).
_FAMILY_NAMES = frozenset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh trinh truong "
    "doan luong mai cao lam ha ta chu thai kieu quach tong vuong lai luu".split())


def titles_asked(question: str) -> frozenset[str]:
    """The titles (folded) a question asks about as the head, not the deputy: "Ai là chủ tịch
    UBND quận?" -> {"chu tich"}; "Phó chủ tịch phường tên gì?" -> none."""
    written = f" {nfc(question).lower()} "
    folded = fold(written)
    # Folding keeps a character per character; where it does not, a folded match is taken
    # as it is.
    aligned = len(folded) == len(written)
    found = set()
    for title in _TITLES:
        if any(not aligned or _as_written(title, written[match.start():match.end()])
               for match in re.finditer(rf"\b{title}\b", folded)) and not _only_as_deputy(
                title, folded):
            found.add(title)
    for english, title in _ENGLISH.items():
        if re.search(rf"\b{english}\b", folded) and not re.search(
                rf"\b{_DEPUTY}{english}\b", folded):
            found.add(title)
    return frozenset(found)


def _as_written(title: str, typed: str) -> bool:
    """What the question typed where a title's folding matched is that title: typed without
    marks, or with the title's own ("bị thu giữ" is no "bí thư")."""
    # "Đại uý" and "Đại úy" are one rank: the mark sits on either vowel.
    return _UY.sub("úy", typed) == _UY.sub("úy", _AS_WRITTEN[title]) or not has_diacritics(typed)


_UY = re.compile("uý")


def speaks_of_a_deputy(titles: frozenset[str], sentence: str) -> bool:
    """Whether the sentence names an asked title only as the deputy's ("Phó Chủ tịch")."""
    if not titles:
        return False
    folded = _folded(sentence)
    return any(re.search(rf"\b{title}\b", folded) and _only_as_deputy(title, folded)
               for title in titles)


def names_the_holder(titles: frozenset[str], sentence: str,
                     asked: str | None = None) -> bool:
    """Whether the sentence names one of the asked titles as the head's: "who is the
    chairman?" is answered by "Chủ tịch UBND quận ... Nguyễn Văn A", not by a sentence that
    only names the committee. With the question (`asked`), the office must be the one it
    names: the same body and the same place where both say them."""
    folded = _folded(sentence)
    if not asked:
        return any(re.search(rf"\b{title}\b", folded) and not _only_as_deputy(title, folded)
                   for title in titles)
    wanted = [office for office in _offices(asked) if office[0] in titles]
    held = [office for office in _offices(sentence) if office[0] in titles]
    return any(_same_office(want, have) for want in wanted or [(t, None, None)
                                                             for t in titles]
               for have in held)


def names_someone(sentence: str) -> bool:
    """Whether the sentence names a person ("ông Đoàn Minh Huấn", "Trung tá Đoàn Phương Tùng",
    "Bí thư Quận ủy quận Bình Tân Huỳnh Khắc Điệp"), not only "Ông" (he) and the offices he
    held, nor a place or a school named after someone ("Học viện ... Hồ Chí Minh")."""
    text = nfc(sentence)
    for run in _CAPITALISED_RUN.finditer(text):
        words = fold(run.group()).lower().split()
        written = run.group().lower().split()
        unit = _LAST_WORD.search(text[:run.start()])
        named_place = unit is not None and fold(unit.group(1)).lower() in _NAMED_PLACES and (
            # "Chủ tịch HĐND quận Nguyễn Thị Hồng Vân": after an office and its unit, a holder
            not names_a_person(text[:unit.start()], run.group()))
        for i in range(len(words) - 1):
            place_before = named_place if i == 0 else words[i - 1] in _NAMED_PLACES
            if words[i] in _FAMILY_NAMES and written[i] not in _PLACE_WORDS and " ".join(
                    words[i:]) not in _NAMED_AFTER and not place_before:
                return True
    return False


_LAST_WORD = re.compile(r"(\S+)\s*$")
_CAPITALISED_RUN = re.compile(rf"{CAPITALISED_WORD}(?:\s+{CAPITALISED_WORD})+")
# The word before a name that makes it a street's, a place's or a school's ("đường Lê Lợi").
_NAMED_PLACES = frozenset(
    "duong pho phuong xa quan huyen tinh tp cau cho truong vien hoc gia hem ngo khu ga cang "
    "lang tang tuong que thpt thcs".split())
# Written, these are places, though folded they are family names ("Trường" is no "Trương").
_PLACE_WORDS = frozenset({"trường", "đường", "phường", "làng", "chợ", "cầu", "học", "viện"})
# Places whose names begin like a family's ("quê Hà Tĩnh"), and a city, an academy, a thought.
_NAMED_AFTER = frozenset({"ho chi minh", "ha noi", "ha tinh", "ha nam", "ha giang", "ha long",
                          "ha dong", "lam dong", "cao bang", "dong nai", "dong thap", "le chan"})
Office = tuple[str, str | None, str | None]  # title, body, place (folded), as named


# An office as a text names it (capitals kept, marks dropped): "Chủ tịch UBND phường Phú Cường".
_OFFICE = re.compile(
    rf"(?i:\b(?P<deputy>{_DEPUTY})?(?P<title>{'|'.join([*_TITLES, *_ENGLISH])})\b"
    rf"(?:\s+of(?:\s+the)?)?)(?:\s+(?i:{_BODY}))?\s*{_PLACE}")
# The end of a text that names an office and its body, just before a unit word.
_OFFICE_BEFORE = re.compile(rf"\b(?:{'|'.join(_TITLES)})(?:\s+(?:{_BODY}))?\s*$")


@functools.lru_cache(maxsize=256)
def _offices(text: str) -> tuple[Office, ...]:
    """The heads' offices a text names, deputies left out: ("chu tich", "ubnd", "phu cuong")."""
    found = []
    for match in _OFFICE.finditer(_cased_fold(text)):
        if match["deputy"]:
            continue
        title = match["title"].lower()
        body = next((name for name in _BODIES if match[name]), None)
        place = match["place"].lower() if match["place"] else None
        if place and _a_persons(place):
            place = None
        found.append((_ENGLISH.get(title, title), body, place))
    return tuple(found)


def names_a_person(before: str, name: str) -> bool:
    """"Chủ tịch HĐND quận Nguyễn Thị Hồng Vân": right after an office and its unit word, a
    name that begins with a family name is the holder's, not a place's (`before`: the text
    up to the unit word)."""
    return _a_persons(fold(nfc(name))) and bool(
        _OFFICE_BEFORE.search(fold(nfc(before[-60:])).lower()))


def _a_persons(name: str) -> bool:
    """Whether a folded name begins with a common family name, as a person's does."""
    words = name.split()
    return bool(words) and words[0] in _FAMILY_NAMES


def _same_office(wanted: Office, held: Office) -> bool:
    """Same title; the same body and place wherever both name one ("phu cuong" and
    "phu cuong nguyen van a" are one place: a person's name may follow the place's)."""
    title, body, place = wanted
    if held[0] != title or (body and held[1] and body != held[1]):
        return False
    if not place or not held[2]:
        return True
    shorter, longer = sorted((place.split(), held[2].split()), key=len)
    return longer[:len(shorter)] == shorter


def _cased_fold(text: str) -> str:
    """Folded, capitals kept, so a place's name stands out from the words around it."""
    text = nfc(text)
    folded = fold(text)
    if len(folded) != len(text):
        return folded
    return "".join(f.upper() if o.isupper() else f for o, f in zip(text, folded, strict=True))


@functools.lru_cache(maxsize=256)
def _folded(sentence: str) -> str:
    """A sentence folded once for both checks above, which read it in turn."""
    return f" {fold(nfc(sentence)).lower()} "


def _only_as_deputy(title: str, folded: str) -> bool:
    """Every mention of `title` in the folded text has "phó" before it."""
    mentions = len(re.findall(rf"\b{title}\b", folded))
    deputies = len(re.findall(rf"\b{_DEPUTY}{title}\b", folded))
    return mentions > 0 and mentions == deputies
