"""Vietnamese text handling and paragraph-aware passages."""

from __future__ import annotations

import itertools
import unicodedata

from index import Article, fold, has_diacritics
from index.search.chunking import chunk_article
from index.text import folded_tokens, lexical_tokens, split_sentences, without_opening_words


def test_fold_drops_marks_and_d_bar() -> None:
    assert fold("Huân chương Lao động ĐẠI") == "huan chuong lao dong dai"


def test_nfc_and_nfd_spellings_tokenise_alike() -> None:
    text = "Quận Hoàn Kiếm"
    assert lexical_tokens(unicodedata.normalize("NFD", text)) == lexical_tokens(text)
    assert folded_tokens(text) == ["quan", "hoan", "kiem", "quan_hoan", "hoan_kiem"]


def test_diacritics_are_detected() -> None:
    assert has_diacritics("Ai được tặng?")
    assert not has_diacritics("ai duoc tang?")
    assert not has_diacritics("Who was awarded?")


def test_sentences_split_at_ends_but_not_inside_numbers() -> None:
    text = "Tổng thu đạt 14.732 tỷ đồng. Tăng 5,2% so với cùng kỳ! \"Thi đua là yêu nước.\" Xong."
    assert split_sentences(text) == [
        "Tổng thu đạt 14.732 tỷ đồng.", "Tăng 5,2% so với cùng kỳ!", "\"Thi đua là yêu nước.\"",
        "Xong.",
    ]


def test_an_abbreviation_is_no_sentence_end() -> None:
    assert split_sentences("Ông Nguyễn Sáng- CT. HĐND xã Vạn Thắng điều hành. Kỳ họp xong.") == [
        "Ông Nguyễn Sáng- CT. HĐND xã Vạn Thắng điều hành.", "Kỳ họp xong."]
    assert split_sentences("Bí thư Thành ủy TP. Long Xuyên dự. Tại TP. Hồ Chí Minh (Q. 1) "
                           "giá tăng.") == ["Bí thư Thành ủy TP. Long Xuyên dự.",
                                            "Tại TP. Hồ Chí Minh (Q. 1) giá tăng."]
    assert split_sentences("Chọn phương án A. Tiếp theo là B.") == ["Chọn phương án A.",
                                                                     "Tiếp theo là B."]
    # After a name, "P." is an initial; the spaces inside a sentence stay as written.
    assert split_sentences("Đối tượng là Nguyễn Văn P. Sau đó, P. Bến Nghé họp.") == [
        "Đối tượng là Nguyễn Văn P.", "Sau đó, P. Bến Nghé họp."]
    assert split_sentences("Tại TP.\u00a0Hồ Chí Minh  giá tăng. Xong.") == [
        "Tại TP.\u00a0Hồ Chí Minh  giá tăng.", "Xong."]


def test_a_photo_credit_glued_to_the_next_sentence_ends_the_caption() -> None:
    # Crawled pages glue "Ảnh:<credit>" to the sentence after it; the credit stays with its
    # caption, the sentence stands alone (it names the credit's "Tân Đệ" no more).
    text = ("Công nhân chở quà Tết về nhà, chiều 30/1. Ảnh:Tân Đệ Tổng công ty May 10 đạt "
            "doanh thu lớn. Ảnh:Pexel Cụ thể, lễ hội có 22 khinh khí cầu.")
    assert split_sentences(text) == [
        "Công nhân chở quà Tết về nhà, chiều 30/1.", "Ảnh:Tân Đệ",
        "Tổng công ty May 10 đạt doanh thu lớn.", "Ảnh:Pexel",
        "Cụ thể, lễ hội có 22 khinh khí cầu.",
    ]
    # A credit in brackets, or one that ends its own sentence, is left as it is.
    assert split_sentences("Xe điện (Ảnh: Minh Huyền). Về giá bán, xe rẻ hơn.") == [
        "Xe điện (Ảnh: Minh Huyền).", "Về giá bán, xe rẻ hơn."]
    assert split_sentences("Ảnh: Hanoitourist Corporation. Bắt đầu từ ngày 1/2.") == [
        "Ảnh: Hanoitourist Corporation.", "Bắt đầu từ ngày 1/2."]
    # A name with a one-letter word, a long run, a credit inside a sentence: left whole.
    for whole in ("Hình: Bộ Y tế Khuyến cáo người dân.", "Ảnh: Báo Hà Nội Mới Người dân đến.",
                  "Cuộc thi Ảnh: Hà Nội Xanh Sạch Đẹp nhận 500 tác phẩm."):
        assert split_sentences(whole) == [whole]


def test_english_words_that_open_a_sentence_are_no_names() -> None:
    assert without_opening_words("Will E5 RON 92 still be sold? How long?") == (
        "will E5 RON 92 still be sold? how long?")
    assert without_opening_words("I'm in Hoan Kiem. What's the address?") == (
        "i'm in Hoan Kiem. what's the address?")
    # Names that begin like English words are kept: "Can Gio", "An Giang".
    assert without_opening_words("Can Gio has a festival") == "Can Gio has a festival"
    assert without_opening_words("My Tho has 11 wards") == "My Tho has 11 wards"


def _article(paragraphs: list[str]) -> Article:
    return Article(id="a", title="Tiêu đề bài viết", body="\n\n".join(paragraphs))


def test_passages_cover_the_whole_text_and_know_their_article() -> None:
    paragraphs = [" ".join(f"từ{p}x{i}." for i in range(45)) for p in range(6)]
    passages = chunk_article(_article(paragraphs), target_words=100, overlap_words=10)
    assert len(passages) >= 3
    assert [p.position for p in passages] == list(range(len(passages)))
    assert all(p.article_id == "a" and p.id == f"a#{p.position}" for p in passages)
    joined = " ".join(p.text for p in passages)
    for paragraph in paragraphs:
        for word in paragraph.split():
            assert word in joined
    assert passages[0].text.startswith("Tiêu đề bài viết")
    assert all(len(p.text.split()) <= 100 + 10 + 45 for p in passages)


def test_consecutive_passages_overlap() -> None:
    paragraphs = [f"Câu số {i} của đoạn văn này khá dài để tạo nhiều đoạn." for i in range(40)]
    passages = chunk_article(_article(paragraphs), target_words=60, overlap_words=15)
    for previous, current in itertools.pairwise(passages):
        assert previous.text.split("\n")[-1] == current.text.split("\n")[0]


def test_a_long_paragraph_is_split_at_sentences() -> None:
    paragraph = " ".join(f"Đây là câu thứ {i} trong một đoạn rất dài." for i in range(60))
    passages = chunk_article(_article([paragraph]), target_words=80, overlap_words=0)
    assert len(passages) > 3
    assert all(p.text.rstrip().endswith(".") for p in passages)


def test_diacritics_are_restored_from_the_corpus_spelling() -> None:
    from index.search.restore import DiacriticRestorer

    restorer = DiacriticRestorer.from_texts([
        "Ban Dân vận Quận ủy được tặng Huân chương Lao động hạng Ba.",
        "Người lao động được nghỉ ba ngày; Ba Đình có mười bốn phường.",
    ])
    assert restorer.restore("ai duoc tang huan chuong lao dong hang ba") == (
        "ai được tặng huân chương lao động hạng ba")
    assert restorer.restore("phuong o ba dinh") == "phường o ba đình"


def test_table_rows_and_list_items_stay_lines_of_their_own_while_wrapped_text_is_joined() -> None:
    table = ("Loại vắc xin | Tên vắc xin | Tuổi tiêm\n"
             "Bại liệt đường tiêm | IPV | 5 tháng đến < 1 tuổi\n"
             "Viêm não Nhật Bản | VNNB | Trẻ từ 1-3 tuổi")
    steps = "Các bước:\n- Bước 1: truy cập cổng dịch vụ công\n- Bước 2: đăng nhập"
    wrapped = "Một câu được ngắt\ndòng giữa chừng."
    passage = chunk_article(_article([table, steps, wrapped]), 200, 0)[0]
    sentences = split_sentences(passage.text)
    assert "Bại liệt đường tiêm | IPV | 5 tháng đến < 1 tuổi" in sentences
    assert "- Bước 2: đăng nhập" in sentences
    assert "Một câu được ngắt dòng giữa chừng." in sentences
