"""Titles of office: a question about the Chairman is not answered by the Vice-Chairman.

Government news names deputies far more often than the heads they stand for ("Phó Chủ tịch
UBND quận ... tiếp công dân"), so the closest sentence to "Ai là chủ tịch UBND quận?" is often
about a "Phó Chủ tịch". A sentence that holds an asked title only with "phó" (deputy) before
it speaks of someone else.
"""

from __future__ import annotations

import functools
import re

from index import fold, nfc

# Folded titles of office, head and deputy alike ("phó" goes before each).
_TITLES = ("chu tich", "bi thu", "giam doc", "thu tuong", "bo truong", "hieu truong",
           "chanh an", "vien truong", "cuc truong", "chanh van phong", "truong phong",
           "truong ban", "chi huy truong", "truong cong an")
# English wordings of the same titles, and English's words for a deputy.
_ENGLISH = {"chairman": "chu tich", "chairwoman": "chu tich", "chairperson": "chu tich",
            "chairs": "chu tich", "chair": "chu tich", "party secretary": "bi thu",
            "director": "giam doc", "prime minister": "thu tuong", "minister": "bo truong",
            "principal": "hieu truong", "chief justice": "chanh an"}
_DEPUTY = r"(?:pho|vice|deputy)[\s-]+"


def titles_asked(question: str) -> frozenset[str]:
    """The titles (folded) a question asks about as the head, not the deputy: "Ai là chủ tịch
    UBND quận?" -> {"chu tich"}; "Phó chủ tịch phường tên gì?" -> none."""
    folded = f" {fold(nfc(question)).lower()} "
    found = set()
    for title in _TITLES:
        if re.search(rf"\b{title}\b", folded) and not _only_as_deputy(title, folded):
            found.add(title)
    for english, title in _ENGLISH.items():
        if re.search(rf"\b{english}\b", folded) and not re.search(
                rf"\b{_DEPUTY}{english}\b", folded):
            found.add(title)
    return frozenset(found)


def speaks_of_a_deputy(titles: frozenset[str], sentence: str) -> bool:
    """Whether the sentence names an asked title only as the deputy's ("Phó Chủ tịch")."""
    if not titles:
        return False
    folded = _folded(sentence)
    return any(re.search(rf"\b{title}\b", folded) and _only_as_deputy(title, folded)
               for title in titles)


def names_the_holder(titles: frozenset[str], sentence: str) -> bool:
    """Whether the sentence names one of the asked titles as the head's: "who is the
    chairman?" is answered by "Chủ tịch UBND quận ... Nguyễn Văn A", not by a sentence that
    only names the committee."""
    folded = _folded(sentence)
    return any(re.search(rf"\b{title}\b", folded) and not _only_as_deputy(title, folded)
               for title in titles)


@functools.lru_cache(maxsize=256)
def _folded(sentence: str) -> str:
    """A sentence folded once for both checks above, which read it in turn."""
    return f" {fold(nfc(sentence)).lower()} "


def _only_as_deputy(title: str, folded: str) -> bool:
    """Every mention of `title` in the folded text has "phó" before it."""
    mentions = len(re.findall(rf"\b{title}\b", folded))
    deputies = len(re.findall(rf"\b{_DEPUTY}{title}\b", folded))
    return mentions > 0 and mentions == deputies
