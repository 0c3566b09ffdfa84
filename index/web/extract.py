"""From an article page to title, publication date, publisher and main text (trafilatura).

Page furniture (menus, sidebars, share buttons, related links, polls, view counters, photo
captions) is removed twice: as HTML elements before extraction, and as tell-tale lines after,
because Vietnamese portals often place it inside the article container. Scripts never run:
the page is only parsed.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from index.errors import ExtractError, NoArticleError
from index.text import nfc
from index.web.fetch import strip_xml_prolog
from index.web.tables import readable_tables

# Class or id tokens of page furniture; matched as whole hyphen/underscore-separated words.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:poll|polls|vote|voting|binhchon|binh-chon|survey|share|sharing|social|"
    r"related|lienquan|lien-quan|tinlienquan|tin-?khac|other-?news|comment|comments|binhluan|"
    r"binh-luan|addthis|"
    r"view-?count|luot-?xem|luotxem|breadcrumbs?|toolbar|tags?|tu-?khoa|keywords?|"
    r"caption|captions|figcaption|image-?desc|img-?desc|photo-?desc|pic-?desc|"
    r"advert|ads|banner|newsletter|sidebar|widget|menu|navbar|footer)(?:$|[\s_-])"
)
_CAPTION_WORD = re.compile(r"caption", re.IGNORECASE)
_TAXONOMY = re.compile(r"^(?:tag|category|post|type|status|format)-")
# Elements whose text is never article text.
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
              "nav", "aside", "footer", "figcaption", "button", "select", "textarea", "input")
# An element holding this share of the page's text is the article, whatever its class says.
_MAX_FURNITURE_SHARE = 0.4
# The lead paragraph ("sapo") of Vietnamese news sites sits outside the body container.
_LEAD = re.compile(
    r"(?:^|[\s_-])(?:sapo|chapeau|lead|summary|excerpt|intro|tom-?tat)(?:$|[\s_-])")

_VIEWS = re.compile(r"(?:lượt xem|lượt đọc|số lượt xem|views?)\s*:?\s*[\d.,]+", re.IGNORECASE)
# "16/02/2023 | 15:47", "Thứ Năm, 16/02/2023 15:47 (GMT+7)", "Cập nhật: 16/02/2023"
_DATE_LINE = re.compile(
    r"^(?:(?:thứ\s+\w+|chủ\s+nhật|cập\s+nhật|ngày\s+đăng|đăng\s+ngày|ngày)\s*[,:]?\s*)*"
    r"\d{1,2}/\d{1,2}/\d{4}[\s|,:\-–0-9GMTh+()]*$",
    re.IGNORECASE,
)
_PHOTO_ALT = re.compile(r"\s-\s(?:Ảnh|Hình|Photo)\s*\d+\s*$", re.IGNORECASE)
_SHARE_WORDS = frozenset(
    "chia sẻ facebook zalo twitter x linkedin email gửi in bài viết in lưu tin bài copy link "
    "sao chép liên kết theo dõi tweet like thích".split()
)
_TRAILER = re.compile(
    r"^(?:bình chọn|tin liên quan|bài viết liên quan|tin cùng chuyên mục|các tin khác|xem thêm|"
    r"từ khóa|tags?|chia sẻ|ý kiến bạn đọc|bình luận|gửi bình luận|đọc nhiều nhất|tin mới)\b",
    re.IGNORECASE,
)
# Characters XML cannot hold: lxml refuses to set them as text, mid-extraction.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_DATE = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
# Extraction costs grow with the DOM (a 48k-element page of links took 20 s): an article page
# of a Vietnamese portal has a few thousand elements, so refuse what is far beyond that.
MAX_ELEMENTS = 15_000
# Whatever the page, extraction ends by this many seconds (checked between its stages).
EXTRACT_DEADLINE_S = 10.0


@dataclass(frozen=True)
class Draft:
    """An article not yet placed in the knowledge folder: what a page or a file gave us."""

    title: str
    body: str  # paragraphs separated by blank lines, NFC
    url: str | None = None  # from a page: its own canonical address, when it declares one
    published: dt.date | None = None
    publisher: str | None = None
    tags: tuple[str, ...] = ()


def extract_article(html: str, url: str | None = None, min_words: int = 30, *,
                    max_elements: int = MAX_ELEMENTS,
                    deadline_s: float = EXTRACT_DEADLINE_S) -> Draft:
    """Title, date, publisher and main text of an article page; NoArticleError when none,
    ExtractError when the page is too large or too slow to read."""
    where = url or "the page"
    deadline = _Deadline(where, deadline_s)
    tree = _parse(html)
    elements = sum(1 for _ in tree.iter())
    if elements > max_elements:
        raise ExtractError(
            f"{where}: the page has {elements} HTML elements, more than the {max_elements} "
            "an article page has; is it a list of links or a generated page?")
    lead = _lead_text(tree)
    deadline.check()
    _remove_furniture(tree)
    _unwrap_layout_tables(tree)
    anchors = _anchor_texts(tree)
    deadline.check()
    try:
        document = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, favor_precision=True,
        )
    except (ValueError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise ExtractError(f"{where}: the page could not be read ({type(error).__name__}: "
                           f"{error})") from None
    deadline.check()
    title = _clean_line(document.title) if document is not None and document.title else ""
    text = document.text if document is not None and document.text else ""
    paragraphs = readable_tables(clean_paragraphs(text.split("\n"), title))
    if lead and paragraphs:  # the lead opens the article, wherever trafilatura put it
        rest = [p for p in paragraphs if _norm(p) != _norm(lead)]
        if _norm(lead) not in _norm(" ".join(rest)):
            paragraphs = [lead, *rest]
    body = "\n\n".join(paragraphs)
    # Headlines linking elsewhere (a category page) are not an article's text.
    words = 0
    for paragraph in paragraphs:  # lines x links: checked against the deadline as it goes
        deadline.check()
        if not _is_link_line(paragraph, anchors):
            words += len(paragraph.split())
    if words < min_words:
        raise NoArticleError(
            f"{where}: no article text found ({words} words of main text, fewer than "
            f"MIN_ARTICLE_WORDS={min_words}); is this an article page rather than a list or "
            "a page drawn by scripts?")
    if not title:
        raise NoArticleError(f"{where}: the page has no title")
    published = _date(document.date if document is not None else None)
    publisher = _clean_line(document.sitename) if document and document.sitename else None
    if not publisher and url:
        publisher = (urlsplit(url).hostname or "").removeprefix("www.") or None
    own_url = document.url if document is not None and document.url != url else None
    return Draft(title=title, body=body, url=own_url, published=published, publisher=publisher)


class _Deadline:
    def __init__(self, where: str, seconds: float) -> None:
        self.where, self.seconds = where, seconds
        self.ends = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise ExtractError(f"{self.where}: reading the page took longer than "
                               f"{self.seconds:g} s; it is too complex to be an article page")


def extract_text_file(text: str, min_words: int = 1) -> Draft:
    """A pasted article: the first line is the title; a `dd/mm/yyyy` line near the top is the
    publication date. Copy-paste debris (breadcrumbs, captions, polls) is cleaned as for pages."""
    lines = [line.strip() for line in nfc(text).replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    while lines and _doubled(lines[0]):  # a breadcrumb copied with the text
        lines.pop(0)
    if not lines:
        raise NoArticleError("the file is empty")
    lines = [_undouble(line) for line in lines]
    published = None
    for line in lines[1:6]:
        if _furniture_line(line):
            published = _text_date(line)
            if published:
                break
    title = _clean_line(lines[0])
    paragraphs = clean_paragraphs(lines[1:], title)
    body = "\n\n".join(paragraphs)
    if len(body.split()) < min_words:
        raise NoArticleError(f"no article text after the title line ({len(body.split())} words)")
    return Draft(title=title, body=body, published=published)


def clean_paragraphs(lines: list[str], title: str = "") -> list[str]:
    """Drop the tell-tale lines of page furniture and captions repeated in the text."""
    kept: list[str] = []
    for raw in lines:
        line = _clean_line(_single_cell(raw))
        if not line or _furniture_line(line) or (title and _norm(line) == _norm(title)):
            continue
        kept.append(line)
    kept = _cut_trailer(kept)
    # A short line printed twice is a photo caption (under the photo, and again as text).
    counts: dict[str, int] = {}
    for line in kept:
        counts[_norm(line)] = counts.get(_norm(line), 0) + 1
    out: list[str] = []
    seen: set[str] = set()
    for line in kept:
        key = _norm(line)
        if counts[key] > 1 and len(line.split()) <= 40:
            continue
        if key in seen:
            continue
        seen.add(key)
        out.append(line)
    return out


def _parse(html: str) -> lxml.html.HtmlElement:
    html = _NOT_XML.sub("", strip_xml_prolog(html))
    if not html.strip():
        raise NoArticleError("the page is empty")
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise ExtractError(f"the page is not readable HTML ({error})") from None


def _lead_text(tree: lxml.html.HtmlElement) -> str | None:
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("meta", "body", "html"):
            continue
        if _LEAD.search(_tokens(element)) and not _inside_furniture(element):
            text = _clean_line(element.text_content())
            if 8 <= len(text.split()) <= 150:
                return text
    return None


def _remove_furniture(tree: lxml.html.HtmlElement) -> None:
    total = max(1, len(_norm(tree.text_content())))
    doomed = []
    for element in tree.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            doomed.append(element)
            continue
        if element.tag in _DROP_TAGS:
            doomed.append(element)
            continue
        if element.tag in ("html", "body", "main", "article"):
            continue
        tokens = _tokens(element)
        if (tokens and (_FURNITURE.search(tokens) or _CAPTION_WORD.search(tokens))) or \
                (element.tag == "form" and _has_choices(element)) or _italic_caption(element):
            share = len(_norm(element.text_content())) / total
            # The article's own container holds its headline; whatever its class says, keep it.
            if share < _MAX_FURNITURE_SHARE and not element.xpath(".//h1"):
                doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            _drop_keep_tail(element)


def _unwrap_layout_tables(tree: lxml.html.HtmlElement) -> None:
    """Old portals lay pages out with tables; read as a table, the whole article would be
    one row. A table whose cells hold blocks (headings, divs, lists, tables), or a short one
    holding paragraphs, is layout: its rows and cells become plain blocks."""
    for table in list(tree.iter("table")):
        if table.xpath(".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::div or "
                       "self::ul or self::ol or self::table or self::form or self::img]") or \
                (len(table.xpath("./tr | ./*/tr")) <= 2 and table.xpath(".//p")):
            for element in [table, *table.xpath("./tr | ./*/tr | ./*/tr/td | ./tr/td | "
                                                "./*/tr/th | ./tr/th | ./thead | ./tbody | "
                                                "./tfoot | ./caption")]:
                element.tag = "div"
                for name in ("width", "valign", "align"):
                    element.attrib.pop(name, None)


def _anchor_texts(tree: lxml.html.HtmlElement) -> set[str]:
    texts = (_norm(a.text_content()) for a in tree.iter("a"))
    return {text for text in texts if len(text.split()) >= 2}


def _is_link_line(line: str, anchors: set[str]) -> bool:
    """A list item or line that is mostly the text of a link (a headline pointing away)."""
    text = _norm(line).lstrip("-•* ")
    return any(anchor in text and len(anchor) >= 0.6 * len(text) for anchor in anchors)


def _italic_caption(element: lxml.html.HtmlElement) -> bool:
    """`<p><em>...</em></p>` right under a photo is its caption."""
    if element.tag != "p" or len(element) != 1 or element[0].tag not in ("em", "i"):
        return False
    text = " ".join(element.text_content().split())
    if not text or text != " ".join(element[0].text_content().split()) or len(text.split()) > 40:
        return False
    previous = element.getprevious()
    return previous is not None and (previous.tag == "img" or bool(previous.xpath(".//img")))


def _has_choices(form: lxml.html.HtmlElement) -> bool:
    """Radio buttons make a poll (a whole-page ASP.NET form is kept by the share rule)."""
    return bool(form.xpath(".//input[@type='radio' or @type='checkbox']"))


def _drop_keep_tail(element: lxml.html.HtmlElement) -> None:
    parent = element.getparent()
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _tokens(element: lxml.html.HtmlElement) -> str:
    """Class and id words, without WordPress's taxonomy classes (`tag-hoan-kiem` on the post
    itself says what it is about, not that it is a tag box)."""
    value = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return " ".join(word for word in value.split() if not _TAXONOMY.match(word))


def _inside_furniture(element: lxml.html.HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("nav", "aside", "footer") or \
                _FURNITURE.search(_tokens(ancestor)):
            return True
    return False


def _furniture_line(line: str) -> bool:
    lowered = line.lower()
    rest = _VIEWS.sub("", lowered).strip(" |-–")  # "16/02/2023 | 15:47 | Lượt xem: 15"
    if not rest or _DATE_LINE.match(rest):
        return True
    if _PHOTO_ALT.search(line):
        return True
    words = re.findall(r"\w+", lowered)
    return bool(words) and len(words) <= 8 and all(w in _SHARE_WORDS for w in words)


def _cut_trailer(lines: list[str]) -> list[str]:
    """A poll or a related-links box after the article ends it: drop it and what follows."""
    for i in range(max(1, len(lines) - 6), len(lines)):
        if _TRAILER.match(lines[i]) and len(lines[i].split()) <= 8:
            return lines[:i]
    return lines


def _single_cell(line: str) -> str:
    """trafilatura draws table rows as `| a | b |`; a one-cell row is layout, not data."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") == 2:
        return stripped.strip("| ")
    return line


def _doubled(line: str) -> bool:
    """`Bình chọn Bình chọn`: a widget label as copied from the page, twice."""
    words = line.split()
    half = len(words) // 2
    return len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]


def _undouble(line: str) -> str:
    return " ".join(line.split()[:len(line.split()) // 2]) if _doubled(line) else line


def _text_date(line: str) -> dt.date | None:
    match = _TEXT_DATE.search(line)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _clean_line(text: str) -> str:
    return " ".join(nfc(text).split())


def _norm(text: str) -> str:
    return " ".join(nfc(text).lower().split())
