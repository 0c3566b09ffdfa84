"""The provinces and cities a question names, and whether an article tells of another one.

"How many Hanoi students won prizes?" is not answered from Ninh Thuận's list of winners. A
place after a unit word or "ở" is already required of the quoted article (`scoring.place_names`);
a province named bare ("học sinh Hà Nội", "Hanoi students", "giá vé TP.HCM") is read here, from
a reviewed table of every province and how it is written (provinces.tsv). Names are read as
written, capitalised: folded and in lower case, "hoa binh" is peace and "hai duong" two roads.
An article that never names the asked province but names another is about somewhere else; one
that names no province (a ward's notice) may still be about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from index import CAPITALISED_WORD, fold, nfc

TABLE = Path(__file__).with_name("provinces.tsv")


@dataclass(frozen=True)
class _Table:
    written: re.Pattern[str]  # any writing of any province, as written (case kept)
    province_of: dict[str, str]  # a writing -> the province's name
    folded: dict[str, re.Pattern[str]]  # a province's name -> its writings, folded


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
    return _Table(re.compile(rf"(?<!\w)({alternatives})(?!\w)"), province_of, folded)


# A surname or a middle name just before a writing makes it a person's ("ông Nguyễn Hòa Bình",
# "Lê Thanh Hóa"); any other word does not ("Đại học Cần Thơ", "UBND Hà Nội").
_NAME_BEFORE = re.compile(rf"(?:^|[^\w\s]\s*|\s)({CAPITALISED_WORD})\s+$")
_SURNAMES = frozenset(fold(s) for s in """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng
    Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Mai Lâm Đoàn Tạ Lương Cao Hà Chu Kiều Thái Văn Thị
    Hữu Đức Minh Thanh Quốc Xuân""".split())


def provinces_named(text: str) -> set[str]:
    """The provinces a text names, as written with capitals, by their table names."""
    table = _table()
    text = nfc(text)
    found = set()
    for match in table.written.finditer(text):
        before = _NAME_BEFORE.search(text[:match.start()])
        if before and fold(before.group(1)) in _SURNAMES:
            continue  # a person's name ("Nguyễn Thái Bình"), not the province
        found.add(table.province_of[match.group(1)])
    return found


def tells_of_another(asked: set[str], article: str) -> bool:
    """The article never names an asked province, however written, but names another one."""
    table = _table()
    folded = fold(nfc(article))
    missing = {name for name in asked if not table.folded[name].search(folded)}
    return bool(missing) and bool(provinces_named(article) - asked)
