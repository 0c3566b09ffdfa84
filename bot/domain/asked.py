"""What kind of fact a question asks for, and whether a quote carries one.

"Bao nhiêu tân binh?" wants a number of recruits, "khi nào?" a date, "ai?" a person or a body,
"ở đâu?" a place, "xã nào?" a named commune, "gồm những gì?" a list. A sentence that matches
the question's words but not the asked kind ("the meeting was held ...") is no answer: the
answerer takes the next candidate or refuses. Questions are read diacritics-folded, so the same
rules hold for text typed without marks; English question words are read too.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.timeframe import DAY_MONTH
from index import CAPITALISED_WORD, UPPER, fold, has_diacritics, nfc, without_opening_words


class Kind(enum.Enum):
    NUMBER = "number"  # bao nhiêu, mấy, how many, how much
    DATE = "date"  # khi nào, bao giờ, ngày nào, when
    DURATION = "duration"  # bao lâu, how long
    PLACE = "place"  # ở đâu, địa chỉ, where
    PERSON = "person"  # ai, who
    NAMED = "named"  # xã nào, phường nào, which ward
    LIST = "list"  # gồm những gì, những ... nào, what ... include
    PHONE = "phone"  # số điện thoại, hotline
    WEB = "web"  # trang nào, website nào, which website
    DOCUMENT = "document"  # thông tư nào, quyết định số mấy, which decree
    FEE = "fee"  # có mất phí không, is it free: whether one pays, and what
    VERDICT = "verdict"  # có thật không, có đúng quy định không, is it true: true or not
    REASON = "reason"  # vì sao, tại sao, why: a cause or a purpose


@dataclass(frozen=True)
class Asked:
    """The kind of fact asked for, and for a number, the unit it is counted in, if named."""

    kind: Kind | None
    unit: str | None = None  # folded first syllable after "bao nhiêu": "tan" (tân binh)
    # Numbers the question itself gives ("lớp 10", "2/9"): a quote repeating them holds no
    # answer to "how many?".
    given: frozenset[str] = frozenset()
    # Names the question itself gives (folded): "phường Yên Bái" is no answer to "which wards
    # formed Yên Bái ward?".
    names: frozenset[str] = frozenset()
    # For a sum of money, what is paid, as articles write it ("vé|giá vé" for "giá vé bao
    # nhiêu?"): the investment in a railway is no answer to what its ticket costs.
    priced: frozenset[int] = frozenset()


# "What is the (monthly) fee?" asks a sum: the sum's noun ends the phrase, and no other
# thing is asked on the way ("what is the deadline to pay the fine?", "the fine dust level",
# "the new salary policy").
_WHAT_IS = (r"what (?:is|was|are|were) (?:the )?(?:(?!deadline|date|time|process|procedure|"
            r"reason|policy|way|place|address|requirement|condition|rule)\S+ ){0,4}")
_PHRASE_ENDS = (r"(?=\s*(?:$|[?,.!;]|(?:for|of|in|at|per|on|if|when|this|that|now|today|to|"
                r"paid|charged|set|applied|collected|and|or)\b))")
# What "mấy" counts: folded, "mấy" alone is also "máy" (a machine), so only before these.
_COUNTED = (r"nguoi|ho|xa|phuong|lan|ngay|thang|nam|con|chiec|hoat dong|don vi|suat|can|diem|"
            r"tan|km|buoi|dot|truong|lop|ty|trieu|nghin|ngan|tuyen|khu|du an|phong|ban|ga|cau|"
            r"tang|muc|hang|loai|buoc|nhom|doan|xe|tre|em|dua|hoc sinh|tuan|gio|phut|giai")
# A length or an age asked in English; Vietnamese asks them with "bao nhiêu" and a unit.
# "How long is the tunnel?" asks metres; "how long will the road works last?" asks time.
_LENGTH_ASKED = (r"\bhow (?:long (?:is|are|was|were|will) (?:the )?(?:\S+ ){0,5}?(?:road|street|"
                 r"avenue|expressway|highway|bridge|tunnel|underpass|overpass|flyover|route|"
                 r"section|line|railway|metro|canal|river|dike|dyke|runway|path|trail|wall)s?"
                 r"(?=\s*(?:$|\?|[,.]|(?:in|from|between|at|of|on|to|for|over|across|along|"
                 r"through|and|connecting|linking|that|which|going|running|built)\b|"
                 r"be\s*\??\s*$))|"
                 r"wide|far|high|tall|deep)\b")
_AGE_ASKED = r"\bhow old\b"
# "Đoạn nào?", "which section of the expressway ...?": a stretch of road (not "which part of
# the plan").
_SECTION_OF_ROAD_ASKED = (r"\bdoan(?: duong)? nao\b|\bwhich (?:section|stretch|segment|part)s? "
                          r"of (?:the )?(?:\S+ ){0,3}?(?:road|street|avenue|expressway|highway|"
                          r"bridge|tunnel|route|line|railway|canal|river|dike|dyke)s?\b")
# A time of day asked: "mấy giờ", "what time", "opening hours".
_TIME_OF_DAY_ASKED = (r"\b(may gio|gio nao|what time|(opening|closing|working|office|business|"
                      r"visiting) (hours|times)|(what|which) hours)\b")
# The sums of money "what is the ...?" asks (English).
_MONEY_NOUNS = (r"cost|price|fee|budget|revenue|spending|investment|capital|income|salary|"
                r"salaries|wage|bonus|fine|penalty|penalties|fare|allowance|subsidy|subsidies")
_LENGTH, _AGE = re.compile(_LENGTH_ASKED), re.compile(_AGE_ASKED)
# A speed limit asked ("speed limit", "tốc độ tối đa"): answered in km/h, not by any number of
# the article (its "10h30", its four cars). Not any "tốc độ": "tốc độ tăng trưởng" is a rate.
SPEED = "speed"
_SPEED_ASKED = re.compile(r"\b(speed limits?|maximum speed|toc do (?:toi da|toi thieu|cho phep|"
                          r"gioi han)|(?:chay|di) (?:voi )?(?:toc do )?(?:toi da )?bao nhieu km)\b")
# How much a price or a sum goes up or down ("giá vé tăng bao nhiêu?", "how much can they
# raise fares?"): a sum or a percentage answers it.
RISE = "rise"
_RISE_ASKED = re.compile(r"\b(?:tang|giam)(?: them| bot)? (?:duoc )?bao nhieu\b|"
                         r"\bhow much (?:\w+ ){0,4}(?:raise|increase|rise|cut|reduce|lower)")
# A level asked ("bão mạnh cấp mấy?", "how strong was the storm?", "báo động cấp mấy?"):
# answered by the level's number after its word ("mạnh cấp 11, giật cấp 14"), not by any number.
LEVEL = "level"
# Only after a word of strength or alarm: "cấp bao nhiêu tiền" grants a sum, "học sinh cấp mấy"
# asks a school level.
_LEVEL_ASKED = (r"\b(?:manh|giat|suc gio|gio|bao dong|canh bao|rui ro|thien tai|lu|dich|o nhiem)"
                r"(?: \w+){0,3}? cap (?:do )?(?:may|bao nhieu)\b|\bhow strong\b|"
                r"\balert level\b")
_LEVEL_QUESTION = re.compile(_LEVEL_ASKED)
# A road asked, not "điều dưỡng nào", "qua đường nào" (by which channel), "thành phố nào",
# "tổ dân phố nào", "khu phố nào" (a neighbourhood).
_ROAD_ASKED = (r"(?<!dieu )(?<!boi )(?<!nuoi )(?<!bang )(?<!qua )duong|"
               r"(?<!thanh )(?<!dan )(?<!khu )pho|quoc lo|tinh lo|dai lo")
# Where money or goods come from: a source ("trích từ nguồn kinh phí tài trợ"), not a place.
_SOURCE_ASKED = re.compile(r"\bwhere (?:does|do|did|is|are|will) (?:\S+ ){1,10}?"
                           r"(?:come|comes|came) from(?=\s*(?:$|[?.,;!]))|"
                           r"\b(?:lay|trich)(?: \w+){0,2}? tu (?:dau|nguon nao)\b|"
                           r"\btu nguon nao\b|\bo dau ra\b")
# "mạnh cấp 11", "gió cấp 6-7", "cấp độ 3", "báo động 2", "báo động III", "133 km/h"
_LEVEL_SAID = re.compile(r"\b(?:cap|level)(?: do)?\s*\d|\bbao dong(?: so)?\s*(?:\d|i{1,3}\b)|"
                         r"\d\s*(?:km\s*/\s*h|kph|mph)\b|\b(?:magnitude|category|richter)\b",
                         re.IGNORECASE)
# Folded question forms, most specific first. Each pattern is searched in the folded question.
_RULES: tuple[tuple[Kind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        # "Tin đó có thật không?", "is that legal?": whether a claim holds, answered by what
        # the authority says of it ("là không chính xác", "không đúng quy định").
        (Kind.VERDICT, r"\b(co (that|dung|chinh xac|hop phap) (khong|ko|k)|that hay gia|"
                       r"dung hay sai|co (dung|sai|trai) (quy dinh|luat|phap luat) (khong|ko|k)|"
                       r"co vi pham (quy dinh|phap luat|luat) (khong|ko|k)|"
                       r"(is|was) (it|this|that) (true|real|legal|allowed|correct|accurate)|"
                       r"true or (false|not)|real or fake|fake news)\b"),
        (Kind.PHONE, r"\b(so dien thoai|sdt|hotline|duong day nong|phone number|"
                     r"telephone)\b"),
        # "Cổng nào?" is answered by a portal's name ("Cổng dịch vụ công quản lý cư trú"):
        # only a page or site asked for wants its address.
        (Kind.WEB, r"\b(trang (web |thong tin |dien tu )?nao|website nao|link nao|duong link|"
                   r"dia chi (trang web|website)|web ?(site )?address|"
                   r"(which|what) (website|web ?site|site))\b"),
        # "Thông tư nào quy định ...?", "which decree": a document by its number or name.
        (Kind.DOCUMENT, r"\b(thong tu|nghi dinh|quyet dinh|nghi quyet|chi thi|cong van|van ban|"
                        r"luat) (nao|so may|so bao nhieu)\b|\b(which|what) (\w+ ){0,2}("
                        r"circular|decree|decision|resolution|directive|law|legal document|"
                        r"regulation)s?\b"),
        (Kind.DATE, _TIME_OF_DAY_ASKED),  # a time of day: read first
        # "How long is the expressway?" asks a length, "how long does it take" a time.
        (Kind.NUMBER, rf"{_LENGTH_ASKED}|{_AGE_ASKED}|{_LEVEL_ASKED}"),
        (Kind.DURATION, r"\b(bao lau|how long|how often)\b"),
        (Kind.NUMBER, rf"\b(bao nhieu|may ({_COUNTED})|how many|how much|{_WHAT_IS}"
                      rf"(number|amount|total|population|area|length|capacity|rate|speed limit|"
                      rf"{_MONEY_NOUNS})s?{_PHRASE_ENDS})"),
        (Kind.DATE, r"\b(khi nao|bao gio|ngay nao|hom nao|thang nao|nam nao|luc nao|thoi gian nao|"
                    r"when|what (dates?|days?)|which (dates?|days?)|deadline|due date|"
                    r"closing date)\b"),
        (Kind.NAMED, r"\b(xa|phuong|quan|huyen|thon|ap|to dan pho|khu pho|tinh|thanh pho|"
                     r"truong|don vi|co quan|to chuc|cong ty|doanh nghiep|benh vien|"
                     rf"{_ROAD_ASKED}"
                     r") nao\b|"
                     r"\b(?:vao|o|tai|den|toi|nhap) vien nao\b|"
                     rf"{_SECTION_OF_ROAD_ASKED}|"
                     r"\bwhich (\w+ ){0,2}(wards?|communes?|districts?|"
                     r"provinces?|city|cities|villages?|schools?|units?|agency|agencies|"
                     r"company|companies|firms?|enterprises?|hospitals?|roads?|street|"
                     r"highways?|avenues?)\b"),
        (Kind.LIST, r"\b(gom nhung|bao gom|gom co|nhung gi|nhung (\w+ ){1,2}(nao|gi)|"
                    r"cac (buoc|giay to|ho so)|what (does|do) .+ include|which (streets|"
                    r"activities|documents|areas))\b"),
        (Kind.PLACE, r"\b(o dau|tai dau|noi nao|cho nao|dia chi|dia diem nao|where|"
                     r"(?<!mail )(?<!web )(?<!website )address)\b"),
        (Kind.PERSON, r"(^|\s)(ai|who|whom)(\s|\?|$)|\bten (la )?gi\b"),
        # "Có mất phí không?", "is it free?": answered by what is free or what it costs
        # (typed with marks, read as written: "mặt tiền" is a frontage, not money lost).
        (Kind.FEE, r"\b(mat|ton|dong|nop|tra) (phi|le phi|tien)\b|\bmien phi\b|"
                   r"\bphi (la )?gi\b|\b(is|are) (it|this|that|\w+ \w+) free\b|"
                   r"\b(is|are) there (any |a )?(fees?|charges?)\b|\bfree of charge\b|"
                   r"\b(do|does|will) (i|we|you|it|people|parents|residents) (have to |need to )?"
                   r"(pay|cost)\b"),
        # "Vì sao ...?", "why ...?": answered by a cause or a purpose, not by the story's
        # event alone ("căn nhà phát ra tiếng nổ lớn" says nothing of why).
        (Kind.REASON, r"\b(vi sao|tai sao|why|ly do (\w+ ){0,4}?la gi|"
                      r"nguyen nhan (\w+ ){0,4}?(la gi|do dau)|do dau ma|what caused|"
                      r"(what is|what's) the reason|reason for)\b"),
    ))
_REASON = re.compile(r"(?<!\w)(do|vì|bởi|nguyên nhân|lý do|dẫn đến|khiến|nhằm|để|nên|"
                     r"xuất phát từ|bắt nguồn từ|gây ra|because|due to)(?!\w)")
_FEE_WRITTEN = re.compile(r"(?<!\w)((mất|tốn|đóng|nộp|trả) (phí|lệ phí|tiền)|miễn phí|"
                          r"phí (là )?gì)(?!\w)")
# "Ai ... thì ...": whoever does something, then (written with its marks: "thi" is an exam).
_WHOEVER = re.compile(r"(?<!\w)ai\s.*(?<!\w)thì(?!\w)(?!\s+sao)")
# "How many people/households...": the folded Vietnamese unit articles count them in.
_ENGLISH_UNITS = {
    "people": "nguoi", "persons": "nguoi", "residents": "nguoi", "citizens": "nguoi",
    "voters": "nguoi", "officials": "nguoi", "households": "ho", "families": "ho",
    "times": "lan", "visitors": "luot", "visits": "luot", "locations": "diem",
    "sites": "diem", "points": "diem", "spots": "diem", "tons": "tan", "tonnes": "tan",
    "kilometres": "km", "kilometers": "km", "km": "km", "schools": "truong",
    "wards": "phuong", "communes": "xa", "hectares": "ha", "recruits": "tan",
    "money": "tien", "tuition": "tien", "funding": "tien", "revenue": "tien",
    "budget": "tien", "investment": "tien", "capital": "tien", "spending": "tien",
    "students": "nguoi", "pupils": "nguoi", "children": "nguoi", "patients": "nguoi",
    "workers": "nguoi", "delegates": "dai bieu", "places": "diem",
    "units": "don vi", "doses": "mui", "projects": "du an", "trees": "cay", "tickets": "ve",
    "gifts": "qua", "beds": "giuong", "cases": "vu",
    # what is weighed: "how much waste?" is answered in tonnes, not in hectares
    "waste": "tan", "garbage": "tan", "rubbish": "tan", "trash": "tan", "rice": "tan",
}
_UNIT = re.compile(rf"\bbao nhieu (\w+)(?: (\w+))?|\bmay ({_COUNTED})\b()|"
                   rf"\bhow (?:many|much) (?:(?:elderly|old|young|poor|new|local|more|"
                   rf"eligible|foreign|disabled|sick|injured|registered) )?"
                   rf"({'|'.join(_ENGLISH_UNITS)})\b")
# The unit a "which ... ?" question names, and how articles write it ("which ward" ->
# "phường Điện Biên"): a named answer must be of that kind.
_NAMED_UNIT = re.compile(r"\b(xa|phuong|quan|huyen|thon|ap|tinh|thanh pho|truong|cong ty|"
                         r"doanh nghiep|benh vien|"
                         rf"{_ROAD_ASKED}"
                         r") nao\b|"
                         r"\bwhich (?:\w+ ){0,2}(ward|commune|district|province|city|village|"
                         r"school|company|companies|firm|enterprise|hospital)s?\b|"
                         r"\bwhich (?:\w+ ){0,2}(road|street|highway|avenue)s?\b|"
                         r"\b(?:vao|o|tai|den|toi|nhap) (vien) nao\b")  # "đưa vào viện nào?"
# "Cơ quan nào?", "which agency?": a body, by its name ("Cục Cảnh sát giao thông", "Sở Y tế"),
# not any capitalised word ("ứng dụng VNeTraffic"). "Đơn vị nào" asks as often which wards
# formed a new one: it is left to any name.
AGENCY = "agency"
_AGENCY_ASKED = re.compile(r"\b(co quan|to chuc) nao\b|\bwhich (?:\w+ ){0,2}"
                           r"(agency|agencies|authority|authorities|office|department|body)\b")
_AGENCY = re.compile(
    rf"(?<!\w)(?i:cục|chi cục|tổng cục|bộ|sở|phòng|công an|ubnd|ủy ban|uỷ ban|ban|viện|"
    rf"trung tâm|cơ quan|công ty|tập đoàn|thanh tra|tòa án|toà án|viện kiểm sát|hội|đoàn|"
    rf"kho bạc|bảo hiểm xã hội|bhxh|ngân hàng|trường|chính phủ|quốc hội|văn phòng)\s+[{UPPER}]"
    rf"|(?<!\w)(?:Chính phủ|Quốc hội|UBND|HĐND|BHXH)(?!\w)")
# "Đoạn nào bị cấm?", "which section of the expressway?": a stretch of road, told by its
# kilometre posts or its ends ("từ Km276 đến Km287", "đoạn từ nút giao A đến B").
SECTION = "section"
_SECTION_ASKED = re.compile(_SECTION_OF_ROAD_ASKED)
_SECTION = re.compile(r"\bkm\s*\d+|\bdoan (?:\S+ ){0,6}?tu\b.{1,60}?\bden\b|\btu (?:nut giao|"
                      r"cau|nga|ngã)\b.{1,60}?\bden\b")
_COMPANY_UNITS = frozenset(
    {"cong ty", "doanh nghiep", "company", "companies", "firm", "enterprise"})
_ROAD_UNITS = frozenset({"duong", "pho", "quoc lo", "tinh lo", "dai lo", "road", "street",
                         "highway", "avenue"})
# A road by its name or number: "tuyến đường 825", "phố Hàng Bài", "Quốc lộ 1A", "QL1A",
# "ĐT.741"; not "thành phố Thủ Đức", "đường dây nóng", "ĐT 0243..." (a phone).
_ROAD = re.compile(
    rf"(?<!\w)(?:[Đđ]ường(?!\s+(?:dây|phố|bộ|sắt|thủy|truyền))|(?<![Tt]hành )[Pp]hố|[Qq]uốc lộ|"
    rf"[Tt]ỉnh lộ|[Đđ]ại lộ|[Xx]a lộ|[Hh]ương lộ|[Đđ]ường tỉnh)\s+"
    rf"((?:{CAPITALISED_WORD}\s*)+|(?:số\s+)?\d+[A-Za-z]?(?!\w))|"
    rf"(?<!\w)((?:QL|ĐT|TL)\.?\s*\d{{1,3}}[A-Z]?)(?![\w.])")
_WRITTEN_UNITS = {
    "phuong": "phường", "ward": "phường", "xa": "xã", "commune": "xã", "quan": "quận|huyện",
    "huyen": "huyện|quận", "district": "quận|huyện", "tinh": "tỉnh|thành phố",
    "province": "tỉnh", "thanh pho": "thành phố", "city": "thành phố", "thon": "thôn|ấp",
    "ap": "ấp|thôn", "village": "thôn|ấp|bản", "truong": "trường", "school": "trường",
    # "công ty nào?" is answered by a company's name ("Công ty TNHH K.V.N"), not by a plate
    **dict.fromkeys(_COMPANY_UNITS, "công ty|doanh nghiệp|tập đoàn|hợp tác xã|HTX"),
    # a hospital; "viện nào?" (as in "nhập viện") may be answered by an institute, not by
    # "Học viện ..." nor "Viện Kiểm sát"
    **dict.fromkeys(("benh vien", "hospital"), "bệnh viện|bv"),
    "vien": "bệnh viện|bv|(?<!học )viện(?! kiểm sát| ksnd)",
}
# Unit words that, capitalised inside a sentence, begin a name instead ("Trường Sa").
_CASED_UNITS = frozenset({"truong", "school"})
# ... unless a school's level follows: "cùng học Trường Tiểu học Hương Lâm".
_SCHOOL_LEVEL = (r"(?=\s+(?:Tiểu học|Trung học|THCS|THPT|Mầm non|Mẫu giáo|Phổ thông|PTDTNT|"
                 r"Đại học|Cao đẳng)\b)")
# What kind of firm is named before its name: "Công ty cổ phần Cấp nước", "Công ty tư vấn Ineco".
_KIND_OF_FIRM = (r"(?:\s+(?:cổ phần|tư vấn|trách nhiệm hữu hạn|xây dựng|vận tải|du lịch|"
                 r"bảo hiểm|thương mại|dịch vụ|đầu tư|xăng dầu|điện lực|cấp nước|môi trường|"
                 r"may|công nghệ|luật|tài chính|thực phẩm|dược phẩm)){0,3}")
# Units that cities number ("Phường 6", "Quận 5", "Thôn 2"); "trường 2 cây bàng" is a count.
_NUMBERED_UNITS = frozenset({"phuong", "ward", "quan", "district", "thon", "ap", "village"})
# "bao nhiêu" followed by a word that is no unit but the rest of the sentence.
_NOT_UNITS = frozenset("""
la va thi o tai trong cho de duoc co nam thang ngay mot moi hien hon
""".split())
# What a citizen ends on ("bao nhiêu ạ?", "bao nhiêu vậy?") is no unit either: read with its
# marks where the question has them ("nha" is also "nhà", "ha" a hectare, "day" "dãy").
_PARTICLES = frozenset("ạ à vậy nhỉ hả nhé nha đấy đây chứ không rồi nữa".split())
_UNMARKED_PARTICLES = frozenset("a vay nhi nhe khong roi nua".split())

_TIME_UNITS = frozenset({"nam", "thang", "ngay"})
_NUMBER = re.compile(r"\d")
# "6/9 tiêu chí", "12/12 xã": a share of things, though it reads like a day and month.
_SHARE_OF = (r"(?!\d|\s*(?:tieu chi|chi tieu|xa|phuong|thi tran|ho|nguoi|thon|ban|to|don vi|"
             r"truong|lop|hoc sinh|thanh nien|dai bieu|cu tri|ho so|thu tuc|nhiem vu|muc tieu|"
             r"cong trinh|du an|co so|chi bo|dang vien)\b)")
_NOT_COUNTS = re.compile(
    rf"\b(?:(?:nam|ngay|thang)\s+)?{DAY_MONTH}(?:\s*[/-]\s*\d{{2,4}})?\b|"
    r"\b(?:nam|thang|ngay)\s+\d{1,4}\b|\b(?:19|20)\d{2}\b")
_NUMERAL = r"(?:\d[\d.,]*|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|tram|nghin|ngan)"
# Counts written in words ("hai hoạt động"): only before a counted noun, since "ba" is also
# "Mrs" and "năm" also "year".
_NUMBER_WORDS = re.compile(
    r"\b(mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi) "
    r"(nguoi|ho|xa|phuong|lan|don vi|suat|can|hoat dong|tan binh|y kien|truong hop)\b")
# A day of the week, or a recurring day ("thứ 3", "Chủ nhật", "hằng tuần").
_WEEKDAY = r"\bthu ([2-7]|hai|ba|tu|nam|sau|bay)\b|\bchu nhat\b|\bhang (ngay|tuan|thang)\b"
_DATE = re.compile(
    rf"{_WEEKDAY}|"
    rf"\d{{1,2}}\s*[/\-.]\s*\d{{1,2}}{_SHARE_OF}|"
    r"\b(ngay|thang|nam|gio|sang|chieu|toi|thu (hai|ba|tu|nam|sau|bay)|tuan|quy)\b\s*\w*\d|"
    r"\b(19|20)\d{2}\b|\b\d{1,2}\s*(h|gio)(\d{2})?\b")
_WEB = re.compile(r"https?://|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov\.vn|vn|com|org|net)\b")
_DOCUMENT = re.compile(r"\b(thong tu(?: lien tich)?|nghi dinh|quyet dinh|nghi quyet|chi thi|"
                       r"cong van|luat|phap lenh|ke hoach|qd|nd|tt|nq|ct)( so)?\s+\d")
# Abbreviations articles write for a kind of document: "QĐ 12/QĐ-UBND".
_DOCUMENT_KINDS = {"qd": "quyet dinh", "nd": "nghi dinh", "tt": "thong tu", "nq": "nghi quyet",
                   "ct": "chi thi", "thong tu lien tich": "thong tu"}
_LAW = re.compile(rf"\b(?:Luật|Bộ luật|Pháp lệnh)\s+{CAPITALISED_WORD}")
# The kind of document a question names: "thông tư nào", "which decree" (folded).
# A law asked for ("luật nào", "which law") is often any legal text: it names no kind.
_DOCUMENT_ASKED = re.compile(
    r"\b(thong tu|nghi dinh|quyet dinh|nghi quyet|chi thi|cong van) (?:nao|so may|"
    r"so bao nhieu)\b|\b(?:which|what) (circular|decree|decision|resolution|directive)s?\b")
_ENGLISH_DOCUMENTS = {"circular": "thong tu", "decree": "nghi dinh", "decision": "quyet dinh",
                      "resolution": "nghi quyet", "directive": "chi thi"}
_PHONE = re.compile(r"(\+84|\b0)[\d .\-]{8,13}\d|\[so dien thoai\]")
# What one pays, or that one does not: "miễn lệ phí", "không thu phí", "lệ phí 50.000 đồng".
_FEE = re.compile(r"(?<!\w)(miễn (phí|lệ phí|tiền|học phí|giảm)|không (thu|mất|tốn|phải (trả|nộp|"
                  r"đóng)) (phí|tiền|lệ phí)|phí)(?!\w)")
# What says whether a claim holds: true or false, lawful or not.
_VERDICT = re.compile(
    r"(?<!\w)(không có (chuyện|việc)|(không|chưa) chính xác|(sai|không đúng) sự thật|"
    r"thông tin sai|tin (giả|đồn)|thất thiệt|không có thật|bịa đặt|xuyên tạc|giả mạo|"
    r"mạo danh|lừa đảo|"
    r"là (đúng|chính xác|sai)|đúng sự thật|bác bỏ|khẳng định|xác nhận|giữ nguyên|"
    r"(đúng|sai) quy định|không đúng quy định|trái (pháp luật|quy định|luật)|vi phạm|"
    r"(bất )?hợp pháp|(không )?được phép|bị cấm|nghiêm cấm)(?!\w)")
# "Where do I apply online?": a site or a portal is where, not an office.
ONLINE = "online"
_ONLINE = re.compile(r"\b(online|truc tuyen|qua mang|tren mang|website)\b")
_PORTAL = re.compile(r"\b(cong dich vu cong|cong thong tin|ung dung|vneid|trang (web|thong tin|"
                     r"dien tu))\b")
# Where a place is said: the words that introduce it, how far it may follow them, and the
# places that need no capital ("tại nhà văn hóa", "số 12 ngõ 72", "Km276").
# "Tại", "ở", "trên", "gần" say where when a place follows within a few words ("trên vỉa hè
# đường Bạch Đằng"); "địa chỉ", "địa điểm" may name it further on ("Địa điểm tiếp công dân là
# Trụ sở ..."). Read as written: folded, "xã" is "xa" (far) and "tầng" is "tăng".
# ...and where papers are handed in: "nộp hồ sơ trực tiếp đến Bộ phận tiếp nhận ...".
_AT = re.compile(r"(?<!\w)(tại|ở|trên|gần|đối diện|bên cạnh|địa chỉ|địa điểm|trụ sở|"
                 r"(?:nộp|gửi)(?:\s+(?:hồ sơ|đơn|giấy tờ|trực tiếp))*\s+(?:đến|tới|về))(?!\w)")
_NEAR_WORDS = 4
_FAR_REACH = 80
_FAR = frozenset({"địa chỉ", "địa điểm", "trụ sở"})
_ADDRESS = re.compile(r"^[\s:,]*(số|ngõ|ngách|hẻm|kiệt|lô|km|tầng|phòng)\s*\d", re.IGNORECASE)
# "(số 1 Hỏa Lò, ...)", "Phòng Giáo dục quận, số 9 Khuất Duy Tiến, ...": a house number and
# its street, in brackets or after a comma; not "(số 12/QĐ-UBND)" nor "(số 3, 4)".
_ADDRESS_IN_BRACKETS = re.compile(
    rf"[(,]\s*(?i:số|ngõ|ngách|hẻm|kiệt)\s*\d+[a-z]?\s+(?:(?i:ngõ|ngách|phố|đường)|[{UPPER}])")
# A lane and its number before a street's name is an address wherever it stands: "tại nhà 8
# tầng trong ngách 72/3 Khương Trung".
_LANE = re.compile(rf"(?<!\w)(?i:ngõ|ngách|hẻm|kiệt)\s*\d+[a-z]?(?:/\d+)*\s+[{UPPER}]")
# Where something was sent or taken: "các mẫu rượu đã được chuyển Viện Nghiên cứu hạt nhân",
# "đưa vào Bệnh viện Tân Phú", "gửi đến Sở Y tế".
_SENT_TO = re.compile(rf"(?<!\w)(?:chuyển|gửi|đưa|chở)(?:\s+(?:đi|lên|xuống))?"
                      rf"(?:\s+(?:đến|tới|vào|về|sang|ra))?\s+(?:(?:Bệnh viện|BV|Viện|Trung tâm|"
                      rf"Sở|Cục|Công an|UBND|Ủy ban|Trạm|Trụ sở|Phòng khám)(?!\w)|"
                      rf"(?:bệnh viện|trung tâm|trạm y tế|trụ sở|phòng khám)\s+[{UPPER}])")
_PLACE_NOUN = re.compile(
    r"(?<!\w)(nhà văn hóa|nhà văn hoá|hội trường|trụ sở|trường|bệnh viện|trạm y tế|trung tâm|"
    r"công viên|quảng trường|chợ|sân|bến|ga|bộ phận (?:một cửa|tiếp nhận)|ủy ban|ubnd|đường|"
    r"phố|ngõ|ngách|"
    r"hẻm|kiệt|thôn|ấp|tổ dân phố|khu phố|khu dân cư|phường|xã|thị trấn)(?!\w)", re.IGNORECASE)
_PERSON = re.compile(
    r"\b(ong|ba|dong chi|anh|chi|chu tich|pho chu tich|bi thu|giam doc|truong|chi huy|"
    r"ban|uy ban|ubnd|hdnd|phong|so|hoi|doan|cong an|mat tran|dang uy|cong ty|truong)\b")
# A capitalised word that does not open the sentence: a name of a person, a place, a body.
_NAME = re.compile(rf"(?<=[\s,;:(“\"']){CAPITALISED_WORD}")
# A list: items split by commas or semicolons, a bulleted or numbered line, a table row.
# (commas alone are no list: "Như vậy, trường hợp bạn hỏi, đối chiếu quy định, ..." is not one)
# (nor is a colon: "Thời gian: từ 13 giờ, ngày 30/01" is a label)
_LIST = re.compile(r";|^\s*([-–•+*]|\d+[.)]|[a-z]\))\s|\||\b(gom|bao gom|nhu sau)\b")
# Items of a list written inline: "phường Đồng Tâm, Yên Ninh, Minh Tân và Nam Cường".
_ITEM_BREAK = re.compile(r"[,;]|\s(?:va|hoac)\s")
SHORT_ITEM_WORDS = 4
SHORT_ITEMS = 3


def asked_for(question: str) -> Asked:
    """The kind of fact a question asks for (None when it asks no particular kind)."""
    question = _CONTRACTION.sub(r"\1 is", nfc(question).replace("\u2019", "'"))
    written = question.lower()
    folded = _as_typed(question, fold(written))
    given = frozenset(_GIVEN_NUMBER.findall(folded))
    for kind, pattern in _RULES:
        if kind is Kind.PERSON and _WHOEVER.search(written):
            continue  # "Ai giao nộp súng thì được nhận gì?" asks what they get, not who
        if kind is Kind.FEE and has_diacritics(written) and not _FEE_WRITTEN.search(written):
            continue  # "mặt tiền" is a frontage, "mất tiền" money lost: the marks decide
        if kind is Kind.PLACE and _SOURCE_ASKED.search(folded):
            continue  # "where does the money come from?" asks a source, not a place
        if pattern.search(folded):
            unit = None
            if kind is Kind.NUMBER and _LEVEL_QUESTION.search(folded):
                unit = LEVEL
            elif kind is Kind.NUMBER:
                match = _UNIT.search(folded)
                pair = match and f"{match.group(1)} {match.group(2)}"
                counted = match and (match.group(3) or (
                    pair if pair in _PEOPLE_WORDS else None) or (
                    match.group(1) if match.group(1) not in _NOT_UNITS and not _particle(
                        written[match.start(1):match.end(1)]) else None) or (
                    # "bao nhiêu tháng tuổi" counts months; "bao nhiêu năm 2023" does not
                    match.group(1) if match.group(1) in _TIME_UNITS and match.group(2)
                    and not match.group(2).isdigit() else None) or (
                    _ENGLISH_UNITS.get(match.group(5) or "")))
                if counted in _MONEY and not _money_as_written(written, match.start(1)):
                    counted = pair if match.group(2) else None  # "dòng họ" is no "đồng"
                if counted:
                    # "bao nhiêu phần trăm", "bao nhiêu tỷ lệ" (not "bao nhiêu tỷ", money)
                    percent = match.group(1, 2) in _SHARE_WORDS
                    unit = PERCENT if percent else counted
                elif _SPEED_ASKED.search(folded):
                    unit = SPEED
                elif _LENGTH.search(folded):
                    unit = LENGTH
                elif _AGE.search(folded):
                    unit = "tuoi"
                elif _MONEY_ASKED.search(_without_names(question)):  # "số tiền ... bao nhiêu?"
                    # "Giá vé được tăng bao nhiêu?": by a sum, or by a share ("không quá 40%")
                    unit = RISE if _RISE_ASKED.search(folded) else "tien"
            elif kind is Kind.DATE and _TIME_ASKED.search(folded):
                unit = TIME_OF_DAY
            elif kind is Kind.DATE and (_DEADLINE_ASKED.search(folded) or _UNTIL_WRITTEN.search(
                    written)) and not (
                    _FROM_WHEN.search(folded)):  # "từ ngày nào đến ngày nào" asks a span
                unit = DEADLINE
            elif kind is Kind.DATE and _DAY_ASKED.search(folded):
                unit = DAY
            elif kind is Kind.DATE and _YEAR_OR_MONTH_ASKED.search(folded):
                unit = YEAR_OR_MONTH
            elif kind is Kind.NAMED and _SECTION_ASKED.search(folded):
                unit = SECTION
            elif kind is Kind.NAMED and _AGENCY_ASKED.search(folded):  # before "quan nao"
                unit = AGENCY
            elif kind is Kind.NAMED and (named := _NAMED_UNIT.search(folded)):
                unit = next(group for group in named.groups() if group)
            elif kind is Kind.PLACE and _ONLINE.search(folded):
                unit = ONLINE
            elif kind is Kind.DOCUMENT and (named := _DOCUMENT_ASKED.search(folded)):
                unit = named.group(1) or _ENGLISH_DOCUMENTS[named.group(2)]
            priced = _priced(written) if unit in ("tien", RISE) else frozenset()
            return Asked(kind, unit, given, _names(question), priced)
    return Asked(None, given=given)


def _money_as_written(written: str, start: int) -> bool:
    """The money word a question counts in, read with its marks where it has them: "bao
    nhiêu đồng" is money, "bao nhiêu dòng họ" is not (both fold to "dong")."""
    word = re.match(r"\w+", written[start:])
    return word is None or not has_diacritics(word.group(0)) or word.group(0) in _MONEY_WRITTEN


def _particle(word: str) -> bool:
    """A word a citizen ends a question on, not a unit ("bao nhiêu ạ?"), as written."""
    return word in (_PARTICLES if has_diacritics(word) else _UNMARKED_PARTICLES)


# "What's the fee?" asks as "what is the fee?" does.
_CONTRACTION = re.compile(r"\b(what|where|who|when|how|which|it|that|there)'s\b", re.IGNORECASE)
# "may" written without its marks in a question typed with them, before a name or after a
# trade: "công ty may Tân Đệ", "hàng dệt may" (garment), not "mấy" (how many).
_UNMARKED_MAY = re.compile(rf"(?i:(?<=dệt )|(?<=hàng )|(?<=ngành )|(?<=xưởng )|(?<=ty ))may(?!\w)|"
                           rf"(?<!\w)may(?=\s+[{UPPER}])")


def _as_typed(question: str, folded: str) -> str:
    """The folded question, with an unmarked "may" that is a garment's kept apart from "mấy":
    "Công ty may Tân Đệ" counts nothing, "may giờ mở cửa?" still asks a time."""
    if not has_diacritics(question) or len(question) != len(folded):
        return folded
    spelled = list(folded)
    for match in _UNMARKED_MAY.finditer(question):
        spelled[match.start():match.end()] = "m_y"
    return "".join(spelled)


def carries(asked: Asked, text: str) -> bool:
    """Whether a quote holds a fact of the asked kind (and, for a number, of its unit)."""
    if asked.kind is None or asked.kind is Kind.REASON:  # a reason is preferred, not required
        return True
    folded = fold(nfc(text))
    if asked.kind is Kind.NUMBER:
        # "lớp 10" in the question is no answer to "how many"
        folded = _without_given(folded, asked.given, ".,")
        written = nfc(text).lower()
        if asked.priced and _pays_for_another(asked.priced, text):
            return False
        return _has_count(folded, written, asked.unit)
    if asked.kind is Kind.DATE:
        # "Năm 2026 thi lớp 10 khi nào?" is not answered by "Năm 2026, thí sinh thi ...":
        # the year or day the question gives is no answer to when.
        dates = [given for given in asked.given if _GIVEN_DATE.fullmatch(given)]
        folded = _without_given(folded, dates, ".,/")
        if asked.unit == TIME_OF_DAY:
            return bool(_CLOCK.search(folded))
        if asked.unit == DEADLINE:  # "hạn cuối": the day something must be done by
            return bool(_DEADLINE.search(folded))
        if asked.unit == DAY:  # "ngày nào": a day, not only a year
            return bool(_DAY.search(folded))
        return bool(_DATE.search(folded))
    if asked.kind is Kind.DURATION:  # "sau 5 giây": read as written ("5 giấy tờ")
        return bool(_SPAN.search(folded)) or bool(_SPAN_WRITTEN.search(nfc(text).lower()))
    if asked.kind is Kind.PHONE:
        return bool(_PHONE.search(folded))
    if asked.kind is Kind.WEB:  # "vào trang nào?": an address to type, not a portal's name
        return bool(_WEB.search(folded))
    if asked.kind is Kind.DOCUMENT:  # "Thông tư số 03/2026", "Quyết định 2775", "Luật Đất đai"
        if asked.unit is not None:  # "which circular?" is not answered by a decree
            return any(_DOCUMENT_KINDS.get(found.group(1), found.group(1)) == asked.unit
                       for found in _DOCUMENT.finditer(folded))
        return bool(_DOCUMENT.search(folded)) or bool(_LAW.search(nfc(text)))
    if asked.kind is Kind.VERDICT:  # read with the marks articles are written in
        return bool(_VERDICT.search(nfc(text).lower()))
    if asked.kind is Kind.FEE:  # articles are written with marks: "phí", not "Phi" or "phi pháp"
        written = nfc(text).lower()
        return bool(_FEE.search(written)) or bool(_MONEY_AMOUNT.search(written))
    if asked.kind is Kind.PLACE and asked.unit == ONLINE:  # "đăng ký trực tuyến ở đâu?"
        return bool(_WEB.search(folded)) or bool(_PORTAL.search(folded))
    if asked.kind is Kind.PLACE:
        return _says_where(nfc(text), asked.names)
    if asked.kind is Kind.PERSON:
        return bool(_PERSON.search(folded)) or bool(_NAME.search(nfc(text)))
    if asked.kind is Kind.NAMED and asked.unit == SECTION:  # "đoạn nào?": from Km276 to ...
        return bool(_SECTION.search(folded))
    if asked.kind is Kind.NAMED and asked.unit == AGENCY:  # "Cục Cảnh sát giao thông"
        return bool(_AGENCY.search(nfc(text)))
    if asked.kind is Kind.NAMED and asked.unit in _ROAD_UNITS:
        return any(not _given_name(fold(m.group(1) or m.group(2)).strip(), asked.names)
                   for m in _ROAD.finditer(nfc(text)))
    if asked.kind is Kind.NAMED:
        if asked.unit in _WRITTEN_UNITS:  # "phường nào": a ward by its name or number
            # "phường Điện Biên", or "3 phường dẫn đầu là Điện Biên, Cống Vị và Ngọc Hà"
            numbered = r"|\d+[A-Za-z]?\b" if asked.unit in _NUMBERED_UNITS else ""  # "1A"
            # "trường" starts no school mid-sentence when capitalised ("đảo Trường Sa")
            unit = _WRITTEN_UNITS[asked.unit]
            unit = f"(?:{unit}|^{unit.capitalize()}|{unit.capitalize()}{_SCHOOL_LEVEL})" if (
                asked.unit in _CASED_UNITS) else f"(?i:{unit})"
            # "Công ty cổ phần Cấp nước Chợ Lớn", "Công ty tư vấn Ineco": what kind of firm
            # before its name
            kind_of = _KIND_OF_FIRM if asked.unit in _COMPANY_UNITS else ""
            named = re.finditer(rf"\b{unit}{kind_of}"
                                rf"(?:(?:\s+\S+){{0,4}}?\s+(?i:là|gồm):?)?\s+"
                                rf"((?:{CAPITALISED_WORD}\s*)+{numbered})", nfc(text))
        else:
            named = _NAME.finditer(nfc(text))
        return any(not _given_name(fold(m.group(m.lastindex or 0)).strip(), asked.names)
                   for m in named)
    return bool(_LIST.search(folded)) or _short_items(folded)  # Kind.LIST


def gives_a_reason(text: str) -> bool:
    """Whether a text says a cause or a purpose ("do nước mặn ngấm vào", "nhằm bảo đảm"): what
    "vì sao?" prefers. Only preferred: a cause is often said with none of these words ("cầu
    đã xuống cấp nghiêm trọng"), and "do" is also "by", "để" also "let"."""
    return bool(_REASON.search(nfc(text).lower()))


def _without_given(folded: str, given: Iterable[str], joiners: str) -> str:
    """`folded` with each number the question gives taken out where it stands alone, not
    inside a longer number joined by `joiners` ("10" out of "lớp 10", not out of "10.5")."""
    marks = re.escape(joiners)
    for number in given:
        folded = re.sub(rf"(?<![\d{marks}]){re.escape(number)}(?![\d]|[{marks}]\d)", " ", folded)
    return folded


def _says_where(text: str, names: frozenset[str]) -> bool:
    """"Tại Nhà văn hóa tổ dân phố số 5", "địa chỉ: số 8 ngõ 6 phố Bùi Huy Bích": a place
    said as where something is, and not only the place the question names ("khám sức khỏe ở
    Ngọc Lâm diễn ra ở đâu?" is not answered by "UBND phường Ngọc Lâm tổ chức khám ...")."""
    if _ADDRESS_IN_BRACKETS.search(text) or _LANE.search(text) or _SENT_TO.search(text):
        return True  # "(số 1 Hỏa Lò, Hoàn Kiếm)", "ngách 72/3 Khương Trung", "chuyển Viện ..."
    for at in _AT.finditer(text.lower()):
        rest = text[at.end():]
        after = rest[:_FAR_REACH] if at.group(1) in _FAR else " ".join(
            rest.split(" ")[:_NEAR_WORDS + 1])
        if _ADDRESS.search(rest) or _PLACE_NOUN.search(after):
            return True
        if any(not _given_name(fold(run.group()), names) for run in _GIVEN_NAME.finditer(after)):
            return True
    return False


def _short_items(folded: str) -> bool:
    """Three or more short items in a row, split by commas or "và"."""
    run = 0
    for item in _ITEM_BREAK.split(folded):
        run = run + 1 if 0 < len(item.split()) <= SHORT_ITEM_WORDS else 0
        if run >= SHORT_ITEMS:
            return True
    return False


# What a sum asked for pays, in groups of words articles use alike: (as a question asks, as
# articles write it). Read with the marks: "phạt" is a fine, "phát" to issue.
_PRICED = (
    ("giá vé|vé|học phí|viện phí|lệ phí|phí|cước|tickets?|fares?|fees?|tuition",
     "vé|(?<!chi )(?<!kinh )phí|cước|(?<!đánh )giá(?! trị)|mức thu"),
    ("mức phạt|tiền phạt|phạt|fines?|penalty|penalties", "phạt"),
    ("lương|thu nhập|salary|salaries|wages?|income", "lương|thu nhập"),
    ("thưởng|bonus|bonuses", "thưởng"),
    ("trợ cấp|phụ cấp|hỗ trợ|allowances?|support|subsidy|subsidies", "hỗ trợ|trợ cấp|phụ cấp"),
    ("doanh thu|revenue", "doanh thu|thu ngân sách|tổng thu|nguồn thu"),
    ("lợi nhuận|profits?", "lợi nhuận"),
    ("đầu tư|kinh phí|chi phí|investment|cost", "đầu tư|vốn|kinh phí|chi phí"),
)
_PRICED_GROUPS = tuple((re.compile(rf"(?<!\w)({asked})(?!\w)"),
                        re.compile(rf"(?<!\w)({written})(?!\w)")) for asked, written in _PRICED)
# Words that hold a priced word and pay nothing ("miễn phí", "thưởng thức", "lương thực"),
# and names ("Lương Sơn"): read past them.
_NOT_PAID = re.compile(r"(?<!\w)(miễn phí|thưởng thức|lương thực|phí phạm)(?!\w)")
_NAME_RUN = re.compile(rf"{CAPITALISED_WORD}(?:\s+{CAPITALISED_WORD})+")
_LABEL_WORDS = 15  # how far before a sum its label is read ("mức đầu tư này tăng ... 5 tỷ")


def _pays_for_another(priced: frozenset[int], text: str) -> bool:
    """The quote labels a sum as paying for something else and never names what was asked:
    "mức đầu tư ... 138.930 tỷ đồng" for a ticket's price. A sum that names nothing it pays
    for ("Cấp bản sao: 8.000 đồng/bản") may be the asked one under a heading: not ruled out."""
    plain = _NOT_PAID.sub(" ", _NAME_RUN.sub(" ", nfc(text))).lower()
    if any(_PRICED_GROUPS[group][1].search(plain) for group in priced):
        return False
    start = 0
    for amount in _MONEY_AMOUNT.finditer(plain):  # each sum's label: the words since the last
        label = " ".join(plain[start:amount.start()].split()[-_LABEL_WORDS:])
        start = amount.end()
        if any(written.search(label) for group, (_, written) in enumerate(_PRICED_GROUPS)
               if group not in priced):
            return True
    return False


def _priced(written: str) -> frozenset[int]:
    """What a question asking a sum pays for (the groups it names), as written."""
    return frozenset(group for group, (asked, _) in enumerate(_PRICED_GROUPS)
                     if asked.search(written))


def _has_count(folded: str, written: str, unit: str | None) -> bool:
    """A number; when the question names its unit, a number shortly before that unit
    ("16 tân binh", "103 nghìn lượt khách", "464 triệu 700 đồng" for "bao nhiêu tiền")."""
    if unit == LEVEL:  # before dates are taken out: "gió mạnh cấp 6-7" is no date
        return bool(_LEVEL_SAID.search(folded))
    folded = _NOT_COUNTS.sub(" ", folded)  # "năm 2026", "2/9": a date is not how many
    if not (_NUMBER.search(folded) or _NUMBER_WORDS.search(folded)):
        return False
    if unit is None:
        return True
    if unit in _ANY_COUNT and unit not in _PEOPLE_WORDS:
        return True
    if unit == PERCENT:
        return "%" in folded or "phan tram" in folded
    if unit == RISE:
        return bool(_MONEY_AMOUNT.search(written)) or "%" in folded or "phan tram" in folded
    if unit in _MONEY:  # matched with its marks: "đồng" is money, "Đông" a place
        return bool(_MONEY_AMOUNT.search(written))
    if unit == "nguoi":  # people, counted as officials, recruits, pupils...
        unit = _PEOPLE
    elif unit in _PEOPLE_WORDS:  # students: as students or as people, not as pupils
        unit = "|".join([unit, *_PEOPLE_KIN.get(unit, ()), _ANYONE])
    else:
        unit = _SPELLINGS.get(unit, re.escape(unit))
    return bool(re.search(rf"\b{_NUMERAL}(\s+\S+){{0,3}}?\s+(?:{unit})\b|"
                          rf"\b\d[\d.,]*\s*(?:{unit})(?!\w)", folded))


PERCENT = "%"
_SHARE_WORDS = frozenset({("phan", "tram"), ("ty", "le"), ("ti", "le")})
LENGTH = "length"  # "how long is the road?": metres or kilometres
# How articles write a unit a question names: "bao nhiêu mét" is answered by "760 m";
# "bao nhiêu phiếu" by "93/93 đại biểu" or "100% đại biểu tán thành".
_SPELLINGS = {
    "met": r"met|m", "km": r"km|kilomet|ki lo met", LENGTH: r"km|kilomet|met|m",
    SPEED: r"km\s*/\s*h|km\s*/\s*gio|km mot gio|kilomet\s*/\s*gio|kilomet mot gio",
    "phieu": r"phieu|dai bieu|%",
    # English units as articles count them: "1.500 căn hộ", "1 triệu liều", "15 kg gạo"
    "don vi": r"don vi|can", "mui": r"mui|lieu", "du an": r"du an|cong trinh",
    "vu": r"vu|ca|benh nhan|truong hop", "tan": r"tan|kg|m3",
    # a citizen's shorthand for what is counted: "bao nhiêu hs" (học sinh, or hồ sơ)
    "hs": r"hs|hoc sinh|ho so", "gv": r"gv|giao vien", "sv": r"sv|sinh vien",
    # copies of a paper: "mấy bản giấy chứng nhận?" is answered by "cấp 02 Giấy chứng nhận"
    "ban": r"ban|giay|bo",
}
TIME_OF_DAY = "time"
DAY = "day"
DEADLINE = "deadline"
YEAR_OR_MONTH = "year"  # "năm nào?", "tháng mấy?": any date answers, a year or month will do
# A limit before a day or a time: "hạn cuối là ngày 12-7", "đến 24h ngày 12-7", "trước 17/7".
_DEADLINE = re.compile(r"\b(han|den|truoc|cham nhat|ket thuc|het)\b(\s+\S+){0,4}?\s+(ngay\s+)?"
                       r"(\d{1,2}\s*[/-]\s*\d{1,2}|\d{1,2}\s*(h|gio)\b)|"
                       r"\btrong ngay \d{1,2}\s*[/-]\s*\d{1,2}")
_FROM_WHEN = re.compile(r"\btu (ngay|thang|khi|luc) nao\b")
_DEADLINE_ASKED = re.compile(
    r"\b(han (cuoi|chot|nop|dang ky)|cham nhat|deadline|by when|until (when|what date)|"
    r"(den|truoc) ngay nao)\b")
# "mở tới ngày nào?" asks a deadline; folded, "tối ngày nào" (which evening) would too.
_UNTIL_WRITTEN = re.compile(r"(?<!\w)tới ngày nào(?!\w)")
_DAY_ASKED = re.compile(r"\b(ngay nao|ngay bao nhieu|ngay may|what date|which day|what day)\b")
_YEAR_OR_MONTH_ASKED = re.compile(r"\b(nam nao|nam may|thang nao|thang may|what year|which year|"
                                  r"what month|which month)\b")
_DAY = re.compile(
    rf"(?<![\d.,]){DAY_MONTH}{_SHARE_OF}|\bngay\s+\d{{1,2}}\b|\d{{1,2}}\s*(?:-|–|den)\s*{DAY_MONTH}|"
    rf"{_WEEKDAY}")
_SPAN_WRITTEN = re.compile(r"(?<![\w.,])\d[\d.,]*\s*(giây|tiếng đồng hồ)(?!\w)")
# A length of time: a number of days, months... or a span from one date to another.
_SPAN = re.compile(
    r"\b\d[\d.,]*\s*(ngay|thang|nam|tuan|gio|phut|quy)\b|"
    r"\b(mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|vai|nhieu) (ngay|thang|nam|tuan|gio)\b|"
    r"\btu\s+(?:ngay\s+|thang\s+|nam\s+)?\d[\d/.\-]*\s+(?:\S+\s+){0,4}?den\s+"
    r"(?:ngay\s+|thang\s+|nam\s+)?\d")
# Capitalised runs of a question (a name it gives), folded.
_GIVEN_NAME = re.compile(rf"{CAPITALISED_WORD}(?:\s+{CAPITALISED_WORD})*")


def _without_names(question: str) -> str:
    """The folded question without the names inside it ("phường Gia Thụy" holds no "giá")."""
    return fold(re.sub(rf"(?<=\s){_GIVEN_NAME.pattern}", " ", nfc(question)))


def _given_name(name: str, given: frozenset[str]) -> bool:
    """`name` is one the question gives, or runs on into the next capitalised words ("Yên
    Bái Tỉnh Lào Cai"); a one-word name ("THPT") must match whole."""
    return any(name == g or (" " in g and name.startswith(f"{g} ")) for g in given)


def _names(question: str) -> frozenset[str]:
    """Each capitalised run, and its tails of two words or more ("Huyện Đại Từ" -> "dai tu")."""
    names = set()
    for run in _GIVEN_NAME.findall(without_opening_words(nfc(question))):
        words = fold(run).split()
        names.add(" ".join(words))
        names.update(" ".join(words[i:]) for i in range(1, len(words) - 1))
    return frozenset(names)
_TIME_ASKED = re.compile(_TIME_OF_DAY_ASKED)
_CLOCK = re.compile(r"\b\d{1,2}\s*(h|gio)(\s*\d{2})?\b|\b\d{1,2}:\d{2}\b")
_GIVEN_NUMBER = re.compile(r"(?<![a-z\d])\d+(?:[.,/]\d+)*")  # not the 2 of "m2", "76" of Km276
# A year or a day and month a question gives ("năm 2026", "dịp 30/4").
_GIVEN_DATE = re.compile(r"(?:19|20)\d{2}|\d{1,2}/\d{1,2}")
_MONEY_ASKED = re.compile(
    r"\b(so tien|kinh phi|tri gia|gia tri|ngan sach|muc phi|le phi|hoc phi|vien phi|phi|"
    r"chi phi|muc ho tro|tien|dau tu|von|doanh thu|thu nhap|luong|gia ve|gia ban|gia|"
    r"tra cong|thu lao|tro cap|phu cap|duoc tra|muc phat|tien phat|bi phat(?! hien)|"
    r"muc thuong|tien thuong)\b"
    r"[^,.;?]*\bbao nhieu|\bhow much (\S+ ){0,3}(money|tuition|funding|revenue|budget|"
    r"investment|capital|spending|fees?)\b|\bhow much (does|do|is|are|will)\b|"
    rf"\b{_WHAT_IS}({_MONEY_NOUNS})s?{_PHRASE_ENDS}")
# Times and visits are counted in many wordings: any count will do.
_ANY_COUNT = frozenset({"lan", "luot"})
# The nouns people are counted in (folded): "2 cấp" is no answer to "how many people".
_PEOPLE = (r"nguoi|dai bieu|can bo|cu tri|thanh nien|tan binh|hoc sinh|sinh vien|em|chau|ho|"
           r"dang vien|hoi vien|doan vien|cong dan|nhan dan|luot|thi sinh|giao vien|benh nhan|"
           r"gia dinh|khach|truong hop|tinh nguyen vien|chien si|lao dong|cong nhan|vi|"
           r"thanh vien|bac si|nhan vien|cuu chien binh|doi tuong|ca nhan|hoc vien|tre|cu|"
           r"ca|nan nhan|dong chi|dong vien|y bac si|chu ho|tap the|dua")
_PEOPLE_WORDS = frozenset(_PEOPLE.split("|"))
# Nouns that count anyone ("25 người", "12 trường hợp"), and those that count the same group
# as a question's noun: recruits are also "thanh niên nhập ngũ", but students are no pupils.
_ANYONE = r"nguoi|ca nhan|truong hop|luot|vi|doi tuong|thanh vien|em|chau"
_PEOPLE_KIN = {
    "tan binh": ("thanh nien", "chien si", "cong dan"),
    "thanh nien": ("tan binh", "doan vien"),
    # exam news writes candidates "TS" ("43 TS mang điện thoại"): a doctor is people too
    "hoc sinh": ("hoc vien", "tre", "thi sinh", "ts"),
    "em": ("hoc sinh", "tre", "thieu nhi", "thi sinh", "ts"),
    "chau": ("hoc sinh", "tre", "thieu nhi"),
    "dua": ("hoc sinh", "tre", "em", "chau", "thieu nhi"),
    "thi sinh": ("hoc sinh", "ts"),
    "sinh vien": ("hoc vien",),
    "can bo": ("cong chuc", "vien chuc", "dang vien", "dong chi"),
    "ho": ("gia dinh", "chu ho"),
    "gia dinh": ("ho",),
    "dai bieu": ("can bo", "dong chi", "khach"),
    "cu tri": ("cong dan", "nhan dan"),
}
# Thousands, millions and billions are of đồng when đồng follows, or nothing counted does:
# "5 triệu đồng", "14.732 tỷ, tăng" (or "tỉ"), "5 triệu mỗi tháng"; not "103 nghìn lượt khách",
# "40 nghìn bông hồng", "2 triệu dân".
_AFTER_A_SUM = (r"đồng|đ\b|vnđ|vnd|usd|mỗi|một|cho|trên|từ|để|và|so|tăng|giảm|với|trong|của|"
                r"là|bằng|khi|nếu|thì|tùy|tuỳ|trở|đến|tới|hoặc|hay|năm|tháng")
_MONEY_AMOUNT = re.compile(rf"\d[\d.,]*\s*((?:nghìn|ngàn|triệu|tỷ|tỉ)(?=\s*(?:[^\w\s]|$)|\s+(?:"
                           rf"{_AFTER_A_SUM})\b)|đồng|đ\b|usd|vnđ|vnd)", re.IGNORECASE)
_MONEY_WRITTEN = frozenset("tiền đồng triệu tỷ tỉ nghìn ngàn usd vnd".split())
_MONEY = frozenset(fold(word) for word in _MONEY_WRITTEN)
