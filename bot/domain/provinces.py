"""The provinces and cities a question names, and whether an article tells of another one.

"How many Hanoi students won prizes?" is not answered from Ninh Thuận's list of winners. A
place after a unit word or "ở" is already required of the quoted article (`scoring.place_names`);
a province named bare ("học sinh Hà Nội", "Hanoi students", "giá vé TP.HCM") is read here, from
a reviewed table of every province and how it is written (provinces.tsv). Names are read as
written, capitalised: folded and in lower case, "hoa binh" is peace and "hai duong" two roads
(the table lists the few lower-case forms that name nothing else: "tphcm", "ha noi").
An article that never names the asked province but names another is about somewhere else; one
that names no province (a ward's notice) may still be about it, and its portal's address often
says which ("aithuong.bathuoc.web.vnptthanhhoa.com.vn" is in Thanh Hóa).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from index import CAPITALISED_WORD, fold, nfc

TABLE = Path(__file__).with_name("provinces.tsv")


@dataclass(frozen=True)
class _Table:
    written: re.Pattern[str]  # any writing of any province, as written (case kept)
    province_of: dict[str, str]  # a writing -> the province's name
    folded: dict[str, re.Pattern[str]]  # a province's name -> its writings, folded
    run_together: dict[str, str]  # "thanhhoa", "hochiminhcity", "hue" -> the province's name


@cache
def _table() -> _Table:
    province_of: dict[str, str] = {}
    writings: dict[str, list[str]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, others = line.split("\t")
        for writing in [name, *others.split("|")]:
            writing = nfc(writing.strip())
            province_of[writing] = name
            writings.setdefault(name, []).append(writing)
    alternatives = "|".join(re.escape(w) for w in sorted(province_of, key=len, reverse=True))
    folded = {name: re.compile(r"(?<!\w)(?:{})(?!\w)".format(
        "|".join(re.escape(fold(w)) for w in forms))) for name, forms in writings.items()}
    # Not inside a web or mail address: "dichvucong.hanoi.gov.vn", "www.hcm.edu.vn".
    written = re.compile(rf"(?<![\w./@])({alternatives})(?![\w/@]|\.\w)")
    # As a web address runs a name together; shorter than "hanoi", it is part of other words.
    run_together = {re.sub(r"[^a-z]", "", fold(writing).lower()): name
                    for writing, name in province_of.items()}
    return _Table(written, province_of, folded, run_together)


# A word just before a writing can make it another thing's name: a ward, a street, a park
# ("phường Điện Biên", "phố Huế", "xa lộ Hà Nội", "công viên Hòa Bình"), a person ("ông
# Nguyễn Hòa Bình", "chị Hà Giang", by a name's word or a title). Read as written, with marks:
# "Đường" is a street, "Dương" a surname. "Đại học Cần Thơ" and "UBND Hà Nội" stay the city.
_BEFORE = re.compile(r"(\S+)\s+$")
_NAME_WORDS = frozenset("""nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô
    dương lý đinh trịnh mai lâm đoàn tạ lương cao hà chu kiều thái văn thị hữu đức minh thanh
    quốc xuân""".split())
# (the last word of "thị trấn", "công viên", "xa lộ" is enough)
_NOT_A_PROVINCE_BEFORE = frozenset("""phường xã quận huyện trấn đường phố ngõ ngách hẻm kiệt
    lộ cầu chợ viên hồ bến ấp thôn khu ông bà anh chị cô chú bác thầy em cháu mr mrs ms
    dr""".split())
# Longer names that begin with a province's: a battle, an ocean.
_LONGER = re.compile(r"\s+(?:Phủ|Dương)(?!\w)")
_REACH = 40  # how far back the word before is looked for
# ...and a list of streets runs on past commas: "Đường Kinh Dương Vương, Hồng Bàng, Hậu Giang";
# not "đường phố" (streets at large), nor past a unit word ("12 đường Lê Duẩn, TP Buôn Ma
# Thuột, Đắk Lắk" is an address that ends in the province).
_UNIT_WORD = r"(?:TP|Tp|Thành|Phường|Quận|Huyện|Xã|Tỉnh|Thị)(?!\w)"
_STREET_LIST = re.compile(rf"(?i:đường(?!\s+phố)|(?<!đường )phố)\s+(?:(?!{_UNIT_WORD})"
                          rf"{CAPITALISED_WORD}"
                          rf"(?:\s+{CAPITALISED_WORD})*\s*,\s*)+$")
_LIST_REACH = 200
# A province's name run together starts or ends a label of a site's host ("vnptthanhhoa",
# "thainguyentv"); shorter than "hanoi" it must be the whole label ("hue", "hcm").
SITE_NAME_MIN = 5
_HOST = re.compile(r"^(?:[a-z]+://)?(?:[^@/]*@)?([^/?#:]+)")


def provinces_named(text: str) -> set[str]:
    """The provinces a text names, as written with capitals, by their table names. A name the
    text also gives a ward, a street or a person ("phường Điện Biên" ... "3 phường dẫn đầu là
    Điện Biên, Cống Vị") is theirs throughout."""
    table = _table()
    text = nfc(text)
    found, others = set(), set()
    for match in table.written.finditer(text):
        name = table.province_of[match.group(1)]
        if _LONGER.match(text, match.end()):
            continue
        before = _BEFORE.search(text[max(0, match.start() - _REACH):match.start()])
        word = before.group(1).strip(".,;:()\"'“”").lower() if before else ""
        listed = _STREET_LIST.search(text[max(0, match.start() - _LIST_REACH):match.start()])
        if word in _NAME_WORDS or word in _NOT_A_PROVINCE_BEFORE or listed:
            others.add(name)
        else:
            found.add(name)
    return found - others


def tells_of_another(asked: set[str], article: str) -> bool:
    """The article never names an asked province, however written, but names another one."""
    table = _table()
    folded = fold(nfc(article))
    missing = {name for name in asked if not table.folded[name].search(folded)}
    return bool(missing) and bool(provinces_named(article) - asked)


@lru_cache(maxsize=4096)
def provinces_of_site(url: str | None) -> frozenset[str]:
    """The provinces a web address's host names ("luongvantri.langson.gov.vn": Lạng Sơn): a
    commune's portal rarely writes its province, its address does. Kept per address: each
    check of a quote reads it again."""
    host = _HOST.match((url or "").strip().lower())
    if host is None:
        return frozenset()
    # The parent domain is the province's; a label left of it is a ward or district named
    # after another province ("dienbien.badinh.hanoi.gov.vn" is in Hà Nội).
    for label in reversed(host.group(1).split(".")):
        letters = re.sub(r"[^a-z]", "", label)
        found = frozenset(name for key, name in _table().run_together.items() if (
            key == letters or (len(key) >= SITE_NAME_MIN and (
                letters.startswith(key) or letters.endswith(key)))))
        if found:
            return found
    return frozenset()
