"""Answers quote the articles they come from, and say so plainly when the articles are silent."""

from __future__ import annotations

from types import SimpleNamespace

from bot.domain.answer import (
    Answerer,
    _barely_read,
    _candidates,
    _in_the_month,
    _listed_after,
    _missed,
    _named_before,
    _names,
    _on_the_day,
    _Pages,
    _phrases_of,
    _place_pairs,
    _quoted,
    _reports_on,
    _says,
    _Sentence,
    _speaks_of,
    _under_headings,
    _unshouted,
    _what_is_done,
    procedure_asked,
)
from bot.domain.asked import asked_for
from bot.domain.provinces import provinces_of_site
from bot.domain.qa_pages import answer_starts, in_the_story
from bot.domain.scoring import Terms
from bot.domain.timeframe import days_asked, months_asked, years_asked
from bot.present.plain import reply_text
from bot.present.texts import VI
from bot.settings import BotSettings
from index import split_sentences

HOAN_KIEM_TITLE = "Quận Hoàn Kiếm đẩy mạnh các phong trào thi đua, tạo sức lan tỏa sâu rộng"


def test_answer_names_the_awarded_unit_and_cites_the_article(answerer: Answerer) -> None:
    answer = answerer.answer("Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?")
    assert answer.answered
    assert "Ban Dân vận Quận ủy" in answer.text
    assert answer.sources[0].title == HOAN_KIEM_TITLE
    assert answer.sources[0].url.startswith("https://")
    assert answer.sources[0].published.isoformat() == "2023-02-16"


def test_answer_quotes_article_sentences_verbatim(answerer: Answerer) -> None:
    question = "Năm 2022 tổng thu ngân sách trên địa bàn quận Hoàn Kiếm là bao nhiêu?"
    answer = answerer.answer(question)
    assert answer.answered and "14.732 tỷ đồng" in answer.text
    article_text = " ".join(hit.text.replace("\n", " ") for hit in answer.hits)
    for sentence in answer.text.split(". "):
        assert sentence.rstrip(".") in article_text


def test_question_typed_without_diacritics_gets_the_same_answer(answerer: Answerer) -> None:
    answer = answerer.answer("ai duoc tang huan chuong lao dong hang ba o hoan kiem")
    assert answer.answered and "Ban Dân vận Quận ủy" in answer.text


def test_question_about_another_district_is_answered_from_that_district(
        answerer: Answerer) -> None:
    answer = answerer.answer("Tổng chi ngân sách quận Tây Hồ năm 2024 là bao nhiêu?")
    assert answer.answered
    assert "1.156 tỷ" in answer.text
    assert "Tây Hồ" in answer.sources[0].title


def test_a_greeting_typed_without_diacritics_is_answered_in_vietnamese(
        answerer: Answerer) -> None:
    for greeting in ("xin chao", "chao ban", "hen gap lai"):
        answer = answerer.answer(greeting)
        assert answer.small_talk is not None and answer.language == "vi", greeting


def test_a_follow_up_about_a_place_no_article_covers_is_refused(answerer: Answerer) -> None:
    # Only Hai Bà Trưng's notice gives bulky waste's day: it is no answer for Cầu Giấy, and
    # neither is whatever else the articles say of Cầu Giấy.
    previous = "Rác cồng kềnh được thu gom khi nào?"
    assert "thứ Bảy" in answerer.answer(previous).text
    for follow_up in ("còn ở Cầu Giấy?", "con o Cau Giay thi sao?"):
        answer = answerer.answer(follow_up, after=previous)
        assert not answer.answered and answer.sources == [], follow_up
        assert "Cầu Giấy" in answer.question or "Cau Giay" in answer.question


def test_a_follow_up_asking_the_same_of_another_place_needs_that_thing_quoted(
        answerer: Answerer) -> None:
    # Ba Đình's article names awards too (certificates of merit), not the Labour Order:
    # what it says of Ba Đình is no answer to who got the Labour Order there.
    previous = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"
    assert "Ban Dân vận" in answerer.answer(previous).text
    answer = answerer.answer("còn ở Ba Đình thì sao?", after=previous)
    assert not answer.answered and answer.sources == []
    # The same kind of follow-up is answered where the article says the thing asked.
    ranking = "Phường nào đứng đầu chỉ số cải cách hành chính ở Ba Đình?"
    answer = answerer.answer("còn ở Hoàn Kiếm thì sao?", after=ranking)
    assert answer.answered and "Hàng Bài" in answer.text


def test_when_a_story_happened_is_read_from_its_lead(answerer: Answerer) -> None:
    # No sentence about the award gives its day; the story's lead does ("Vào sáng 18/2").
    previous = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"
    answer = answerer.answer("khi nào?", after=previous)
    assert answer.answered and "Huân chương Lao động hạng Ba" in answer.text
    assert "sáng 18/2" in answer.text


def test_an_elliptical_follow_up_with_nothing_before_it_is_refused(answerer: Answerer) -> None:
    for alone in ("năm 2021 thì sao?", "còn ở Cầu Giấy?"):
        answer = answerer.answer(alone)
        assert not answer.answered and answer.sources == [], alone
    # A place named alone, with no "còn ... thì sao", is a topic: it is still searched.
    assert answerer.answer("quận Cầu Giấy").answered


# Its answer quotes the Tây Hồ council's article, which the search does not rank first.
CITES_A_LOWER_RANKED_ARTICLE = "Who chairs the Tay Ho district council?"


def test_more_never_shows_an_article_the_answer_cited_again(answerer: Answerer) -> None:
    question = CITES_A_LOWER_RANKED_ARTICLE
    answer = answerer.answer(question)
    cited = [source.id for source in answer.sources]
    ranked = [hit.article.id for hit in answerer.index.search(question, k=6)]
    assert answer.answered and ranked[0] not in cited  # what makes "skip the first" wrong
    first = answerer.more(question, offset=len(cited), cited=cited)
    following = answerer.more(question, offset=len(cited) + 3, cited=cited)
    shown = [hit.article.id for hit in first + following]
    assert not set(shown) & set(cited)
    assert shown[:3] == [a for a in ranked if a not in cited][:3]  # the best one not skipped


def test_gold_price_is_not_covered(answerer: Answerer) -> None:
    answer = answerer.answer("Giá vàng hôm nay bao nhiêu?")
    assert not answer.answered
    assert reply_text(answer) == VI.not_covered
    assert answer.sources == []
    assert answer.confidence < answerer.settings.answer_min_confidence


def test_health_question_from_another_domain_is_not_covered(answerer: Answerer) -> None:
    answer = answerer.answer("Mình bị tuyến giáp, có nên tiêm vaccine Covid-19 không ạ?")
    assert not answer.answered


def test_answer_is_short(answerer: Answerer) -> None:
    answer = answerer.answer("Rác cồng kềnh được thu gom khi nào?")
    assert answer.answered
    assert len(answer.text) <= answerer.settings.answer_max_chars
    assert "thứ Bảy" in answer.text


def test_more_returns_the_next_passages(answerer: Answerer) -> None:
    question = "Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?"
    first = answerer.more(question, offset=0)
    following = answerer.more(question, offset=3)
    assert len(first) == 3 and following
    assert not {h.passage_id for h in first} & {h.passage_id for h in following}


def test_a_year_the_article_does_not_report_on_is_not_answered(answerer: Answerer) -> None:
    """The Hoàn Kiếm article gives 2022's revenue and compares it "so với năm 2021"."""
    answer = answerer.answer("Năm 2022 tổng thu ngân sách quận Hoàn Kiếm là bao nhiêu?")
    assert answer.answered and "14.732 tỷ" in answer.text
    assert not answerer.answer("Năm 2021 tổng thu ngân sách quận Hoàn Kiếm là bao nhiêu?").answered


def test_another_school_year_is_not_answered(answerer: Answerer) -> None:
    """The Thanh Xuân notice is for the 2024-2025 school year; 2023-2024 shares 2024 with it."""
    asked = "Lịch tuyển sinh lớp 1 quận Thanh Xuân năm học {} thế nào?"
    answer = answerer.answer(asked.format("2024-2025"))
    assert answer.answered and "Thanh Xuân" in answer.sources[0].title
    assert not answerer.answer(asked.format("2023-2024")).answered


def test_the_next_meeting_is_not_answered_with_the_last(answerer: Answerer) -> None:
    """The Hoàn Kiếm article reports the ceremony held on 18/2; it says nothing of a next one."""
    asked = "Hội nghị biểu dương thi đua {}của quận Hoàn Kiếm diễn ra khi nào?"
    assert "18/2" in answerer.answer(asked.format("")).text
    assert not answerer.answer(asked.format("tiếp theo ")).answered


def test_the_council_chairman_asked_is_the_one_quoted(answerer: Answerer) -> None:
    """The Tây Hồ article names the People's Council's chairman ("do Chủ tịch HĐND quận Nguyễn
    Thị Hồng Vân điều hành") and only the People's Committee's vice-chairman."""
    answer = answerer.answer("Ai là Chủ tịch HĐND quận Tây Hồ?")
    assert answer.answered and "Nguyễn Thị Hồng Vân" in answer.text
    assert not answerer.answer("Ai là Chủ tịch UBND quận Tây Hồ?").answered


def _pages_of(article: str) -> _Pages:
    """The pages of an index that holds one article's text, whatever its id."""
    return _Pages(SimpleNamespace(article_text=lambda _id: article))  # type: ignore[arg-type]


def _sentence_in(passage: str, title: str, question: str, order: int,
                 url: str | None = None) -> _Sentence:
    """The candidate the answerer makes of a passage's sentence, for `question`."""
    hit = SimpleNamespace(text=passage, article=SimpleNamespace(title=title, id=title, url=url))
    text = split_sentences(passage)[order]
    candidates = _candidates([hit], asked_for(question))  # type: ignore[list-item]
    return next(candidate for candidate in candidates if candidate.text == text)


def test_a_quote_about_another_ward_or_occasion_is_no_answer() -> None:
    passage = ("Tỉnh quy hoạch khu xử lý rác tại phường Nam Sầm Sơn với diện tích 14 ha. "
               "Khu xử lý này có công suất khoảng 200 tấn mỗi ngày.")
    plant_question = "Nhà máy ở phường Đông Quang có công suất bao nhiêu tấn mỗi ngày?"
    plant = _sentence_in(passage, "Bãi rác Sầm Sơn quá tải", plant_question, 1)
    wards = [("phuong", "sam son"), ("phuong", "dong quang"), ("phuong", "nam sam son")]
    assert not _speaks_of({("phuong", "dong quang")}, set(), plant, wards)
    assert _speaks_of({("phuong", "nam sam son")}, set(), plant, wards)
    # Nothing near the quote names a ward: the article's subject (the first one named) decides.
    dump = _sentence_in("Bãi rác rộng 2,7 ha, công suất xử lý 25 tấn rác mỗi ngày.", "Bãi rác",
                        plant_question, 0)
    assert not _speaks_of({("phuong", "dong quang")}, set(), dump, wards)
    assert _speaks_of({("phuong", "sam son")}, set(), dump, wards)
    fireworks = _sentence_in("Theo kế hoạch bắn pháo hoa dịp Tết Bính Ngọ 2026, TP có 4 điểm "
                             "bắn pháo hoa tầm cao.", "Pháo hoa",
                             "TP HCM bắn pháo hoa dịp Quốc khánh ở mấy điểm?", 0)
    assert not _speaks_of(set(), {"national day"}, fireworks, [])
    assert _speaks_of(set(), {"tet"}, fireworks, [])


def test_a_quote_that_names_months_or_days_names_the_ones_asked() -> None:
    passage = ("Tại Hà Nội, từ đầu năm đến 17-7-2022 đã ghi nhận 2.605 trường hợp mắc cúm. "
               "Trong tháng 6 đã ghi nhận 887 trường hợp mắc. Số ca mắc có xu hướng gia tăng.")
    question = "How many flu cases did Hanoi record in June 2022?"
    june = {6}
    assert not _in_the_month(june, _sentence_in(passage, "Cúm", question, 0))
    assert _in_the_month(june, _sentence_in(passage, "Cúm", question, 1))
    assert _in_the_month(june, _sentence_in(passage, "Cúm", question, 2))  # names no month
    holidays = ("Công chức được nghỉ Tết từ thứ Bảy ngày 14/02 đến hết Chủ nhật ngày 22/02. "
                "Kỳ nghỉ lễ từ thứ Năm ngày 30/4 đến hết Chủ nhật ngày 3/5.")
    asked = "dịp 30/4 - 1/5 thì nghỉ từ hôm nào tới hôm nào?"
    may_day = {(30, 4), (1, 5)}
    assert not _on_the_day(may_day, _sentence_in(holidays, "Lịch nghỉ", asked, 0))
    assert _on_the_day(may_day, _sentence_in(holidays, "Lịch nghỉ", asked, 1))


def test_a_qa_pages_answer_begins_after_the_citizens_story() -> None:
    page = ("Ông Chung đã mang giấy tờ đến Đại sứ quán để làm thủ tục đăng ký khai sinh cho con. "
            "Ông đề nghị cơ quan chức năng giải đáp.\n\nVề vấn đề này, Cục Lãnh sự có ý kiến như "
            "sau: Đại sứ quán không làm thủ tục đăng ký khai sinh mà ghi vào sổ hộ tịch.")
    start = answer_starts(page)
    assert in_the_story(page, "Ông Chung đã mang giấy tờ đến Đại sứ quán", start)
    assert not in_the_story(page, "Đại sứ quán không làm thủ tục đăng ký khai sinh", start)
    assert answer_starts("UBND phường tổ chức hội nghị tiếp xúc cử tri. Cử tri hỏi, lãnh đạo "
                         "phường trả lời phỏng vấn báo chí.") is None


def test_a_follow_up_asking_its_own_thing_is_answered_by_a_sentence_that_says_it() -> None:
    passage = ("Đồng chí Nguyễn Đức Lục - PBT Đảng ủy - Chủ tịch UBND xã chủ trì hội nghị. "
               "Đồng chí Lê Thị Hằng - PCT UBND xã thông qua báo cáo của UBND xã.")
    question = "Chủ tịch UBND xã Ái Thượng là ai; phó chủ tịch?"
    chair = _sentence_in(passage, "Xã Ái Thượng tổng kết năm 2023", question, 0)
    deputy = _sentence_in(passage, "Xã Ái Thượng tổng kết năm 2023", question, 1)
    assert _says(_phrases_of("còn phó chủ tịch?"), deputy)
    assert not _says(_phrases_of("còn phó chủ tịch?"), chair)
    assert _says(_phrases_of("mấy giờ?"), chair)  # a lone word asks nothing to repeat


def test_a_near_tie_of_the_same_article_is_quoted_too() -> None:
    """Two sentences of one article that score alike are both quoted: neither the words nor
    the model can tell which answers. A close one from another article, or a clearly weaker
    one, adds nothing."""
    question = "Ai phụ trách tiếp công dân của phường?"
    first = _sentence_in("Ông Nguyễn Văn An phụ trách tiếp công dân. Bà Lê Thị Bình trực "
                         "tiếp công dân sáng thứ Năm. Phường có 12 tổ dân phố.", "Phường A",
                         question, 0)
    same, weaker = (_sentence_in(first.hit.text, "Phường A", question, n) for n in (1, 2))
    same.hit = weaker.hit = first.hit
    other = _sentence_in("Bà Trần Thị Cúc phụ trách tiếp dân.", "Phường B", question, 0)
    first.hit.article.id, other.hit.article.id = "phuong-a", "phuong-b"
    for sentence, score in ((first, 1.0), (same, 0.95), (other, 0.97), (weaker, 0.8)):
        sentence.score = score
    first.order, same.order, weaker.order = 0, 5, 9  # not each other's next sentence
    first.following = ""
    terms = Terms(["tiep_cong"], [1.0])  # every sentence holds it: none adds a word
    answerer = Answerer(SimpleNamespace(), BotSettings(_env_file=None))  # type: ignore[arg-type]
    eligible = [first, same, other, weaker]
    chosen = answerer._choose(eligible, eligible, terms, asked_for(question), _pages_of(""))
    assert chosen == [first, same]


def test_a_serving_process_holds_linear_algebra_to_its_engine_threads(
        sample_settings) -> None:
    """Answer workers are the parallelism: opened for serving (`threads`), numpy's BLAS stops
    keeping a thread per core, which only spun between an answer's small products."""
    from threadpoolctl import ThreadpoolController, threadpool_limits

    from bot.domain.assistant import open_answerer

    blas = ThreadpoolController().select(user_api="blas")
    restore = [(library.prefix, library.num_threads) for library in blas.lib_controllers]
    assert restore, "numpy without a BLAS library threadpoolctl can see"
    try:
        answerer = open_answerer(sample_settings, threads=1)
        assert answerer.answer("Ai được tặng Huân chương Lao động hạng Ba ở Hoàn Kiếm?").answered
        assert {library.num_threads for library in
                ThreadpoolController().select(user_api="blas").lib_controllers} == {1}
    finally:
        for prefix, threads in restore:
            threadpool_limits(limits={prefix: threads})


def test_near_misses_about_another_place_or_the_deputy_are_refused(answerer: Answerer) -> None:
    """The sample articles give Hai Bà Trưng's collection hours and never name Cầu Giấy's
    chairman: a place named after "ở" must be the quoted article's, and "who is the
    chairman?" is not answered by a sentence that names no chairman."""
    for question in ("Thu gom rác ở Cầu Giấy mấy giờ?", "Ai là chủ tịch UBND quận Cầu Giấy?"):
        assert not answerer.answer(question).answered, question
    hours = answerer.answer("Thu gom rác ở Hai Bà Trưng mấy giờ?")
    assert hours.answered and "Hai Bà Trưng" in hours.sources[0].title
    chair = answerer.answer("Who chairs the Tay Ho district council?")
    assert chair.answered and "Chủ tịch HĐND quận Nguyễn Thị Hồng Vân" in chair.text


def test_an_english_question_for_an_address_is_answered_with_one(answerer: Answerer) -> None:
    answer = answerer.answer("What's the address of the Hoang Mai citizen reception office?")
    assert answer.answered and answer.language == "en"
    assert "Bùi Huy Bích" in answer.text


def test_a_year_asked_of_an_undated_article_that_names_none_needs_its_day_or_month() -> None:
    """"Dịp lễ 2/9/2022 ..." of an undated story of 2/9 that never writes its year: the day
    places it. A year asked with nothing else, or with another day, is not taken on trust."""
    passage = ("Trong dịp nghỉ lễ Quốc khánh 2/9, các tổ tuần tra sẽ kiểm tra tất cả các "
               "phương tiện sau 22 giờ.")
    hit = SimpleNamespace(text=passage, article=SimpleNamespace(title="CSGT", published=None))
    pages = SimpleNamespace(text=lambda _: passage)
    def reports_on(question: str) -> bool:
        sentence = _candidates([hit], asked_for(question))[0]  # type: ignore[list-item]
        return _reports_on(years_asked(question), sentence, pages,  # type: ignore[arg-type]
                           set(), days_asked(question), months_asked(question))

    assert reports_on("Dịp lễ 2/9/2022 từ mấy giờ thì CSGT kiểm tra xe?")
    assert reports_on("Tháng 9/2022 CSGT kiểm tra xe từ mấy giờ?")
    assert not reports_on("Năm 2022 CSGT kiểm tra xe từ mấy giờ?")
    assert not reports_on("Dịp lễ 30/4/2022 CSGT kiểm tra xe từ mấy giờ?")
    dated = "Năm 2021, dịp nghỉ lễ Quốc khánh 2/9, các tổ tuần tra kiểm tra xe sau 22 giờ."
    pages = SimpleNamespace(text=lambda _: f"{dated} {passage}")
    assert not reports_on("Dịp lễ 2/9/2022 từ mấy giờ thì CSGT kiểm tra xe?")


def test_a_place_named_earlier_in_the_article_is_the_subject_of_a_sentence_that_names_none(
        ) -> None:
    """"Hiện toàn xã có 241 ..." tells of the commune named sentences before, even where its
    passage starts after that name; a sentence that names a place of its own does not."""
    article = ("Ông Xuân, xã Phượng Dực, cho biết làng nghề nay bán hàng trên mạng. Nhiều kho "
               "đã sạch hàng. Hiện toàn xã có 241 cơ sở bán hàng trực tuyến. Tại xã Phú Túc "
               "có 30 cơ sở bán hàng trực tuyến.")
    passage = article[article.index("Nhiều kho"):]
    pages = SimpleNamespace(text=lambda _: article)
    question = "Xã Phượng Dực có bao nhiêu cơ sở bán hàng trực tuyến?"
    whole_commune = _sentence_in(passage, "Livestream bán hàng Tết", question, 1)
    assert _named_before({"phuong_duc"}, whole_commune, pages)  # type: ignore[arg-type]
    another = _sentence_in(passage, "Livestream bán hàng Tết", question, 2)
    assert not _named_before({"phuong_duc"}, another, pages)  # type: ignore[arg-type]
    assert not _named_before({"tay_ho"}, whole_commune, pages)  # type: ignore[arg-type]
    # A wider area, or another commune named in between, is not the one asked about.
    for changed in (article.replace("toàn xã", "toàn thành phố"),
                    article.replace("Nhiều kho", "Xã Phú Túc cũng vậy. Nhiều kho")):
        pages = SimpleNamespace(text=lambda _, text=changed: text)
        passage = changed[changed.index("Nhiều kho"):]
        sentence = _sentence_in(passage, "Livestream", question, 1)
        assert not _named_before({"phuong_duc"}, sentence, pages), changed  # type: ignore[arg-type]


def test_a_district_typed_in_lower_case_without_marks_is_the_one_quoted(
        answerer: Answerer) -> None:
    """"quan cau giay", read as "quận cầu giấy": the district is required of the article as
    when it is capitalised; Hai Bà Trưng's hours are no answer for Cầu Giấy."""
    assert not answerer.answer("thu gom rac o quan cau giay may gio").answered
    answer = answerer.answer("tong chi ngan sach quan tay ho 2024 la bao nhieu")
    assert answer.answered and "Tây Hồ" in answer.sources[0].title
    hours = answerer.answer("thu gom rac o quan hai ba trung may gio")
    assert hours.answered and "Hai Bà Trưng" in hours.sources[0].title


def test_a_name_that_is_no_place_is_taken_from_the_article_before_the_sentence() -> None:
    """"Hà Nội ... chỉ 5 ngày" tells of the Bính Ngọ holiday its article's lead named; the
    lead, which names the whole country, leaves out the city asked about."""
    article = ("Năm nay, kỳ nghỉ Tết Bính Ngọ 2026 của học sinh cả nước kéo dài từ 11 đến 14 "
               "ngày. Trong khi đó, Hà Nội là địa phương có lịch nghỉ ngắn nhất, chỉ 5 ngày.")
    pages = _Pages(SimpleNamespace(article_text=lambda _: article))  # type: ignore[arg-type]
    question = "Tết Bính Ngọ 2026 học sinh Hà Nội được nghỉ mấy ngày?"
    places = _place_pairs(question)
    assert places >= {"ha_noi"} and "binh_ngo" not in places
    lead = _sentence_in(article, "Nghỉ Tết dài", question, 0)
    hanoi = _sentence_in(article, "Nghỉ Tết dài", question, 1)
    names = {"binh_ngo", "ha_noi"}
    assert _missed(names - {"ha_noi"}, names, places, hanoi,  # type: ignore[arg-type]
                   pages) == set()
    assert _missed(names - {"binh_ngo", "tet_binh"}, names, places, lead,  # type: ignore[arg-type]
                   pages) == {"ha_noi"}
    # A place is never taken on trust from earlier in the article.
    assert _missed({"ha_noi"}, names, places, hanoi, pages) == {"ha_noi"}  # type: ignore[arg-type]
    # Nor is a name by a sentence that names another one of its own.
    schools = "Trường Chu Văn An được giao 700 chỉ tiêu. Trường Phan Đình Phùng được giao 675."
    asked = {"chu_van", "van_an"}
    other = _sentence_in(schools, "Chỉ tiêu lớp 10", "Chu Văn An được giao bao nhiêu chỉ tiêu?", 1)
    pages = _Pages(SimpleNamespace(article_text=lambda _: schools))  # type: ignore[arg-type]
    assert _missed(asked, asked, set(), other, pages) == asked  # type: ignore[arg-type]


def test_a_name_asked_is_not_looked_for_as_the_word_name() -> None:
    """"... tên là gì?" asks a name: the sentence that gives it rarely says "tên"; "khuyến cáo
    gì?" asks what is advised, which the sentence says."""
    assert _what_is_done("Trung tá CSGT hy sinh hôm 4/2 tên là gì?") is None
    assert _what_is_done("Công ty đó tên gì?") is None
    assert _what_is_done("CSGT khuyến cáo gì?") == "khuyến cáo"
    assert _what_is_done("Họ làm gì để hỗ trợ người dân?") == "họ làm"  # "họ": they


def test_a_question_in_capitals_is_read_in_lower_case() -> None:
    """Capitals mark names; a question typed all in capitals would be all names."""
    assert _unshouted("HUYỆN HẢI HẬU GIAO BAO NHIÊU TÂN BINH NĂM 2024?") == (
        "Huyện hải hậu giao bao nhiêu tân binh năm 2024?")
    for question in ("Huyện Hải Hậu giao bao nhiêu tân binh?", "UBND HĐND?", "TPHCM"):
        assert _unshouted(question) == question


def test_a_sentence_that_announces_a_list_is_quoted_with_its_items() -> None:
    passage = ("Những người có trách nhiệm đi đăng ký khai sinh cho trẻ em đó là:\n+ Cha, mẹ;\n"
               "+ Ông, bà;\nViệc đăng ký thực hiện tại UBND cấp xã.")
    question = "Ai có trách nhiệm đi đăng ký khai sinh cho trẻ em?"
    announcing = _sentence_in(passage, "Khai sinh", question, 0)
    assert [item for _, item in _listed_after(announcing)] == ["+ Cha, mẹ;", "+ Ông, bà;"]
    plain = _sentence_in("Thủ tục như sau:\nNộp hồ sơ tại xã.\nNhận kết quả sau 3 ngày.",
                         "Khai sinh", question, 0)
    assert [item for _, item in _listed_after(plain)] == ["Nộp hồ sơ tại xã."]


def test_a_sentence_that_points_back_is_quoted_with_the_one_before(answerer: Answerer) -> None:
    """"Trong khi đó, ..." alone answers nothing a reader can place."""
    terms = Terms.of("Hà Nội cho học sinh nghỉ Tết mấy ngày?")
    passage = ("Năm nay, học sinh cả nước được nghỉ Tết từ 11 đến 14 ngày. Trong khi đó, Hà Nội "
               "cho học sinh nghỉ Tết 5 ngày.")
    question = "Hà Nội cho học sinh nghỉ Tết mấy ngày?"
    best = _sentence_in(passage, "Nghỉ Tết", question, 1)
    best.score = 1.0
    chosen = answerer._choose([best], [best], terms, asked_for(question), _pages_of(passage))
    assert chosen[0].text == passage


def test_every_item_a_sentence_announces_is_quoted(answerer: Answerer) -> None:
    """The first item often comes in as the sentence after the best one: the rest follow."""
    passage = ("Hồ sơ xin cấp phép gồm các giấy tờ sau:\n- Đơn đề nghị cấp phép;\n"
               "- Bản sao giấy tờ về đất;\n- Bản vẽ thiết kế.")
    question = "Hồ sơ xin cấp phép gồm những gì?"
    best = _sentence_in(passage, "Cấp phép xây dựng", question, 0)
    best.score = 1.0
    chosen = answerer._choose([best], [best], Terms.of(question), asked_for(question),
                              _pages_of(passage))
    assert [s.text for s in chosen][-1] == "- Bản vẽ thiết kế."
    assert len({s.text for s in chosen}) == 4


def test_a_passage_that_opens_by_pointing_back_is_quoted_with_the_article_before_it(
        answerer: Answerer) -> None:
    """"Tại đây, ... bắt quả tang" opens the passage after the one that names the station."""
    before = ("Sáng 17/1, công an ập vào kiểm tra Trạm xăng dầu Đức Lợi trên đường Dạ Nam. ")
    caption = "Ảnh: Công an tỉnh cung cấp\n"
    passage = "Tại đây, lực lượng chức năng bắt quả tang chủ trạm đang pha xăng giả."
    question = "bắt quả tang ở cây xăng nào?"
    best = _sentence_in(passage, "Xăng giả", question, 0)
    best.score = 1.0
    chosen = answerer._choose([best], [best], Terms.of(question), asked_for(question),
                              _pages_of(before + caption + passage))
    assert chosen[0].text == before + passage  # the photo's caption passed over


def test_a_passage_that_ends_at_a_heading_asking_the_question_is_read_on() -> None:
    """The answer under "... có mất phí hay không?" is in the article after the passage."""
    passage = ("Những ai được làm tài khoản định danh điện tử. Làm tài khoản định danh điện tử "
               "có mất phí hay không? Tài khoản định danh điện tử là tập hợp tên đăng nhập và "
               "mật khẩu.")
    # The next passage opens with the overlap: the heading and the sentence after it again.
    article = (f"{passage}\nLàm tài khoản định danh điện tử có mất phí hay không? Tài khoản "
               "định danh điện tử là tập hợp tên đăng nhập và mật khẩu. Theo Bộ Công an, mọi "
               "người dân được miễn phí chi phí thực hiện đăng ký định danh điện tử. Bảo mật "
               "tài khoản như thế nào? Không chia sẻ mật khẩu cho người khác.")
    question = "Làm tài khoản định danh điện tử có mất phí không?"
    hit = SimpleNamespace(text=passage, article=SimpleNamespace(title="Định danh", id="a",
                                                                url=None))
    asked = asked_for(question)
    found = _candidates([hit], asked)  # type: ignore[list-item]
    more = _under_headings([hit], asked, Terms.of(question), _pages_of(article),  # type: ignore[list-item]
                           found)
    assert [s.text for s in more] == ["Theo Bộ Công an, mọi người dân được miễn phí chi phí "
                                      "thực hiện đăng ký định danh điện tử."]
    assert more[0].carries
    other = "Ai được làm tài khoản định danh điện tử?"
    assert not _under_headings([hit], asked_for(other), Terms.of(other), _pages_of(article),  # type: ignore[list-item]
                               _candidates([hit], asked_for(other)))  # type: ignore[list-item]


def test_a_procedure_asked_is_read_by_its_own_words() -> None:
    """The procedure's name comes after its verbs; words typed with marks end it as typed."""
    for question, named in (
            ("Làm giấy khai tử cho người thân vừa mất thì cần mang theo giấy tờ gì?", "khai_tu"),
            ("Thủ tục đăng ký kết hôn cần những giấy tờ gì?", "ket_hon"),
            ("xin cap lai ho chieu o dau", "ho_chieu"),
            ("Đăng ký dự thi tốt nghiệp THPT đến ngày nào?", "thi_tot"),
            ("Đăng ký ô tô ở đâu?", "o_to"),  # "ô", not "ở"
            ("Xin giấy phép xây nhà 2 tầng cần những giấy tờ gì?", "phep_xay"),
            ("làm giấy phép lái xe ở đâu", "phep_lai"),
            ("Đăng ký lại xe sau sáp nhập có phải đổi biển không?", None),
            ("Công an quận 1 làm CCCD tới mấy giờ?", None),  # a bare "làm" starts none
            ("How do I register a marriage?", None)):
        language = "en" if question.startswith("How") else "vi"
        query = SimpleNamespace(language=language, readable=question)
        assert procedure_asked(query) == named, question  # type: ignore[arg-type]


def test_a_procedure_asked_is_named_by_the_quote_or_its_article() -> None:
    """The papers a mobile marriage registration needs are no answer about a death."""
    passage = ("Công chức tư pháp - hộ tịch chuẩn bị đầy đủ các loại mẫu tờ khai, giấy tờ hộ "
               "tịch để đăng ký kết hôn lưu động.")
    question = "Làm giấy khai tử cho người thân vừa mất thì cần mang theo giấy tờ gì?"
    quote = _sentence_in(passage, "Đăng ký hộ tịch lưu động", question, 0)
    assert not _names("khai_tu", [quote])
    assert _names("ket_hon", [quote])
    assert _names("khai_tu", [_sentence_in(passage, "Thủ tục khai tử", question, 0)])  # title


def test_a_portal_s_address_says_its_province() -> None:
    """A commune's portal never writes its province; its address does, and a question that
    names the province ("xã Ái Thượng ở Thanh Hóa") reads the quote with it."""
    assert provinces_of_site("http://aithuong.bathuoc.web.vnptthanhhoa.com.vn/web/x") == {
        "Thanh Hóa"}
    assert provinces_of_site("https://giathuy.longbien.hanoi.gov.vn/tin") == {"Hà Nội"}
    assert provinces_of_site("https://linhchieu.tpthuduc.hochiminhcity.gov.vn") == {
        "Thành phố Hồ Chí Minh"}
    assert not provinces_of_site("https://vnexpress.net/hanoi-mo-duong-123.html")  # a path
    assert not provinces_of_site("https://huengaynay.vn/x")  # "hue": too short to tell
    assert provinces_of_site("https://hue.gov.vn") == {"Thừa Thiên Huế"}  # ...unless whole
    # The parent domain's province: a ward named after another one is no province.
    assert provinces_of_site("https://dienbien.badinh.hanoi.gov.vn") == {"Hà Nội"}
    assert not provinces_of_site(None)
    passage = "Đồng chí Võ Thị Lý - Bí thư Đảng ủy xã chủ trì hội nghị."
    question = "Ai là bí thư đảng ủy xã Ái Thượng ở Thanh Hóa?"
    quote = _sentence_in(passage, "Xã Ái Thượng tổng kết năm 2023", question, 0,
                         url="http://aithuong.bathuoc.web.vnptthanhhoa.com.vn/web/x")
    assert "Thanh Hóa" in _quoted([quote])
    assert "Thanh Hóa" not in _quoted([_sentence_in(passage, "Xã Ái Thượng", question, 0)])


def test_an_english_question_barely_read_is_not_answered() -> None:
    """One concept read and several words unread: whatever it matches, it was not understood."""
    def query(concepts, unread, language="en"):
        return SimpleNamespace(language=language, concepts=concepts, unread=unread)
    assert _barely_read(query((("chương trình",),), ("fastest", "learn", "python")))
    assert not _barely_read(query((("giấy khai sinh",),), ("baby",)))
    assert not _barely_read(query((("Hoan Kiem",), ("huân chương lao động",)), ("won", "big")))
    assert not _barely_read(query((("chương trình",), ("2024",)), ("next",)))
    assert not _barely_read(query((), ("fastest", "learn"), language="vi"))
