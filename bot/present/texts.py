"""Everything the bot says itself: to citizens in Vietnamese and in English (by Telegram
language_code), to moderators and staff in Vietnamese.

Strings may hold HTML (replies use parse_mode=HTML); values from articles or users are
escaped by `bot.present.render`, never here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    welcome: str
    knows: str  # {articles} {publishers} {newest}
    knows_undated: str  # {articles} {publishers}
    knows_nothing: str
    and_others: str  # {count}
    some_publishers: str
    ask_command: str
    how_to_ask: str
    how_to_ask_group: str
    examples_label: str
    examples: tuple[str, str, str]
    sources: str
    not_covered: str  # every face says this when the articles do not hold the answer
    passed_on: str  # ...and this where the question is logged for the moderators
    greeting: str  # small talk: a greeting, then what the bot knows and how to ask
    you_are_welcome: str
    goodbye: str
    rate_limited: str
    too_short: str
    help_hint: str  # Telegram's commands: said where a chat's user can send them
    too_long: str  # {limit}
    ask_usage: str
    media: str
    error: str
    like: str
    dislike: str
    more: str
    more_heading: str
    no_more: str
    question_gone: str
    thanks_button: str
    thanks: str
    only_asker: str
    privacy: str  # {days}
    commands: tuple[tuple[str, str], ...]
    # Moderation (citizen-facing). Defaults are Vietnamese; EN overrides them.
    verified: str = "✅ Câu trả lời đã được cán bộ kiểm duyệt"
    from_moderators: str = "💬 Trả lời từ cán bộ phụ trách:"
    forget_confirm: str = ("Bạn muốn xoá toàn bộ {count} câu hỏi bạn đã gửi? "
                           "Việc này không thể hoàn tác.")
    forget_nothing: str = "Không có câu hỏi nào của bạn đang được lưu."
    forget_yes: str = "🗑 Xoá dữ liệu của tôi"
    forget_no: str = "Huỷ"
    forget_done: str = "Đã xoá {count} câu hỏi của bạn."
    forget_cancelled: str = "Đã huỷ, không có gì bị xoá."
    # A button pressed by someone other than the person it was made for.
    not_yours: str = "Nút này dành cho người đã đặt câu hỏi."


VI = Texts(
    welcome="<b>Xin chào!</b> Tôi trả lời câu hỏi về hoạt động của chính quyền địa phương, "
            "dựa trên các bài viết đã được đăng.",
    knows="Hiện có {articles} bài viết của {publishers}; bài mới nhất đăng ngày {newest}.",
    knows_undated="Hiện có {articles} bài viết của {publishers}.",
    knows_nothing="Hiện chưa có bài viết nào; cán bộ sẽ sớm cập nhật.",
    and_others="và {count} nguồn khác",
    some_publishers="nhiều nguồn",
    ask_command="hoi",
    how_to_ask="Cứ gõ câu hỏi ngắn gọn, nêu rõ phường/quận, sự việc hoặc thời gian.",
    how_to_ask_group="Trong nhóm, gõ /hoi kèm câu hỏi, hoặc trả lời tin nhắn của tôi.",
    examples_label="Ví dụ:",
    examples=(
        "Lịch tiếp công dân của Chủ tịch UBND quận Hoàng Mai?",
        "Đăng ký khai sinh trực tuyến như thế nào?",
        "Giờ thu gom rác ở quận Hai Bà Trưng thay đổi ra sao?",
    ),
    sources="Nguồn:",
    not_covered="Xin lỗi, các bài viết đã đăng chưa có thông tin để trả lời câu hỏi này. "
                "Bạn có thể hỏi lại bằng từ ngữ khác, nêu rõ tên phường/quận, sự việc hoặc "
                "thời gian.",
    passed_on="Câu hỏi của bạn đã được chuyển tới cán bộ phụ trách để bổ sung.",
    greeting="Xin chào! Tôi trả lời câu hỏi về hoạt động của chính quyền địa phương, dựa "
             "trên các bài viết đã được đăng.",
    you_are_welcome="Rất vui được giúp bạn! Bạn cứ hỏi tiếp nếu cần nhé.",
    goodbye="Tạm biệt bạn! Khi cần, bạn cứ quay lại hỏi nhé.",
    rate_limited="Bạn hỏi hơi nhanh. Vui lòng chờ khoảng nửa phút rồi hỏi tiếp nhé.",
    too_short="Bạn hãy gõ một câu hỏi đầy đủ, ví dụ: "
              "“Đăng ký khai sinh trực tuyến như thế nào?”.",
    help_hint="Gõ /help để xem hướng dẫn.",
    too_long="Câu hỏi dài quá ({limit} ký tự là tối đa). Bạn hãy hỏi ngắn gọn hơn, "
             "mỗi lần một ý.",
    ask_usage="Gõ /hoi kèm câu hỏi, ví dụ: /hoi Đăng ký khai sinh trực tuyến như thế nào?",
    media="Tôi chỉ đọc được tin nhắn chữ: bạn hãy gõ câu hỏi về hoạt động của chính quyền "
          "địa phương.",
    error="Xin lỗi, đã có lỗi khi xử lý tin nhắn của bạn. Bạn vui lòng thử lại sau ít phút.",
    like="👍",
    dislike="👎",
    more="Xem thêm",
    more_heading="<b>Các đoạn liên quan khác:</b>",
    no_more="Không còn đoạn nào khác về câu hỏi này.",
    question_gone="Câu hỏi này không còn được lưu.",
    thanks_button="🙏 Cảm ơn bạn đã góp ý",
    thanks="Cảm ơn bạn!",
    only_asker="Chỉ người đặt câu hỏi mới đánh giá được câu trả lời này.",
    privacy=(
        "<b>Dữ liệu được lưu khi bạn hỏi</b>\n"
        "• Câu hỏi, sau khi đã che số điện thoại, số CMND/CCCD, số tài khoản, biển số xe và "
        "email; câu trả lời của bot, "
        "nguồn trích dẫn và đánh giá 👍/👎 của bạn.\n"
        "• Bạn được ghi bằng một mã bí danh, không phải tài khoản Telegram: bot không lưu tên, "
        "số điện thoại hay mã tài khoản của bạn.\n"
        "• Với câu hỏi cần cán bộ xem lại, bot tạm giữ mã cuộc trò chuyện để gửi câu trả lời "
        "cho bạn, và xoá khi đã xử lý xong.\n"
        "• Dữ liệu được lưu tối đa {days} ngày; mỗi ngày bot tự động xoá những câu hỏi "
        "cũ hơn thời hạn này.\n"
        "• Cán bộ kiểm duyệt chỉ xem câu hỏi và câu trả lời, không biết bạn là ai.\n"
        "• Bạn có thể xoá mọi câu hỏi mình đã gửi bất cứ lúc nào: gõ /xoadulieu rồi bấm "
        "nút xác nhận. Câu trả lời mẫu được soạn từ câu hỏi của bạn cũng bị xoá, và dữ liệu "
        "đã xoá không còn khôi phục được từ tệp cơ sở dữ liệu.\n\n"
        "Xin đừng gửi thông tin cá nhân (số giấy tờ, địa chỉ, số điện thoại) trong câu hỏi. "
        "Việc xử lý dữ liệu tuân theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân."
    ),
    commands=(
        ("start", "Giới thiệu và cách hỏi"),
        ("help", "Hướng dẫn"),
        ("hoi", "Đặt câu hỏi (trong nhóm)"),
        ("privacy", "Dữ liệu được lưu về bạn"),
        ("xoadulieu", "Xoá mọi câu hỏi bạn đã gửi"),
    ),
)

EN = Texts(
    welcome="<b>Hello!</b> I answer questions about local government from published articles "
            "(in Vietnamese).",
    knows="I know {articles} articles from {publishers}; the newest was published on {newest}.",
    knows_undated="I know {articles} articles from {publishers}.",
    knows_nothing="There are no articles yet; staff will add them soon.",
    and_others="and {count} more",
    some_publishers="several publishers",
    ask_command="ask",
    how_to_ask="Just type a short question naming the ward or district, the event or the date.",
    how_to_ask_group="In a group, type /ask followed by your question, or reply to my message.",
    examples_label="For example:",
    examples=(
        "Lịch tiếp công dân của Chủ tịch UBND quận Hoàng Mai?",
        "How do I register a birth online?",
        "Giờ thu gom rác ở quận Hai Bà Trưng thay đổi ra sao?",
    ),
    sources="Sources:",
    not_covered="Sorry, the published articles do not cover this question yet. You can ask "
                "again in other words, naming the ward or district, the event or the date.",
    passed_on="It has been passed to the moderators.",
    greeting="Hello! I answer questions about local government from published articles "
             "(in Vietnamese).",
    you_are_welcome="You're welcome! Ask again any time.",
    goodbye="Goodbye! Come back whenever you have a question.",
    rate_limited="You are asking a little fast. Please wait about half a minute.",
    too_short="Please type a whole question, e.g. “How do I register a birth online?”.",
    help_hint="Send /help for instructions.",
    too_long="That question is too long ({limit} characters at most). Please ask one thing "
             "at a time, briefly.",
    ask_usage="Type /ask followed by your question, e.g. /ask How do I register a birth online?",
    media="I can only read text: please type a question about local government.",
    error="Sorry, something went wrong with your message. Please try again in a few minutes.",
    like="👍",
    dislike="👎",
    more="More",
    more_heading="<b>More related passages:</b>",
    no_more="There is nothing more on this question.",
    question_gone="This question is no longer stored.",
    thanks_button="🙏 Thank you for the feedback",
    thanks="Thank you!",
    only_asker="Only the person who asked can rate this answer.",
    privacy=(
        "<b>What is stored when you ask</b>\n"
        "• Your question, with phone numbers, ID card numbers, bank account numbers, vehicle "
        "plates and emails masked; the bot's "
        "answer, its sources and your 👍/👎.\n"
        "• You are recorded under a pseudonymous key, not your Telegram account: no name, "
        "phone number or account id is stored.\n"
        "• For a question the moderators must review, the chat id is kept so they can send you "
        "an answer, and erased once reviewed.\n"
        "• Everything is kept for at most {days} days; older questions are deleted "
        "automatically every day.\n"
        "• Moderators see questions and answers, never who asked.\n"
        "• You can erase every question you asked at any time: send /forgetme and confirm. "
        "Curated answers made from your questions go too, and nothing erased can be recovered "
        "from the database files.\n\n"
        "Please do not type personal data (ID numbers, addresses, phone numbers) in questions. "
        "Data is handled under Vietnam's Decree 13/2023/ND-CP on personal data protection."
    ),
    commands=(
        ("start", "About the bot and how to ask"),
        ("help", "Help"),
        ("ask", "Ask a question (in groups)"),
        ("privacy", "What is stored about you"),
        ("forgetme", "Erase every question you asked"),
    ),
    verified="✅ Answer verified by the moderators",
    from_moderators="💬 Answer from the moderators:",
    forget_confirm="Erase all {count} questions you have sent? This cannot be undone.",
    forget_nothing="No questions of yours are stored.",
    forget_yes="🗑 Erase my data",
    forget_no="Cancel",
    forget_done="Erased {count} of your questions.",
    forget_cancelled="Cancelled; nothing was erased.",
    not_yours="This button is for the person who asked.",
)


def texts_for(language_code: str | None) -> Texts:
    """Vietnamese unless the language (Telegram's language_code, or the question's own) is
    something else."""
    if not language_code or language_code.lower().startswith("vi"):
        return VI
    return EN


@dataclass(frozen=True)
class ModeratorTexts:
    """What the bot tells moderators (MODERATOR_IDS), in Vietnamese only."""

    not_allowed: str = "Xin lỗi, lệnh này chỉ dành cho cán bộ kiểm duyệt."
    queue_empty: str = "Không còn câu hỏi nào cần xem lại. 🎉"
    taken: str = "Một cán bộ khác đang xử lý câu hỏi này."
    done_already: str = "Câu hỏi này đã được xử lý."
    noted: str = "Đã ghi nhận."
    skipped: str = "⏭ Đã bỏ qua."
    confirmed: str = "✅ Đã xác nhận câu trả lời."
    marked_spam: str = "🗑 Đã đánh dấu spam."
    answer_prompt: str = ("✏️ Gõ câu trả lời cho câu hỏi #{question_id}: tin nhắn tiếp theo của "
                          "bạn sẽ được gửi tới người hỏi.")
    faq_prompt: str = (" Câu hỏi và câu trả lời cũng được lưu vào FAQ; nếu có, đặt đường dẫn "
                       "nguồn ở dòng cuối.")
    cancel_hint: str = " Gõ /huy để huỷ."
    delivered: str = "✅ Đã gửi câu trả lời tới người hỏi."
    not_delivered: str = ("⚠️ Không gửi được tới người hỏi (họ đã chặn bot hoặc xoá cuộc trò "
                          "chuyện); câu trả lời vẫn được lưu.")
    saved_as_faq: str = " Đã lưu vào FAQ #{curated_id}."
    next_hint: str = " Gõ /review để xem câu tiếp theo."
    cancelled: str = "Đã huỷ; câu hỏi trở lại hàng chờ."
    faq_usage: str = ("Cách dùng:\n/faq list\n/faq add Câu hỏi | Câu trả lời | https://nguồn "
                      "(không bắt buộc)\n/faq edit SỐ Câu hỏi | Câu trả lời | https://nguồn\n"
                      "/faq delete SỐ")
    faq_fields: str = "cần: Câu hỏi | Câu trả lời | đường dẫn (không bắt buộc)"
    faq_saved: str = "Đã lưu FAQ #{curated_id}."
    faq_edited: str = "Đã sửa FAQ #{curated_id}."
    faq_deleted: str = "Đã xoá FAQ #{curated_id}."
    faq_missing: str = "Không có FAQ #{curated_id}."


@dataclass(frozen=True)
class StaffTexts:
    """What the bot tells staff (STAFF_IDS), in Vietnamese only."""

    not_allowed: str = "Xin lỗi, lệnh này chỉ dành cho cán bộ quản trị nội dung."
    add_usage: str = "Cách dùng: /add <đường dẫn bài viết> [đường dẫn khác ...]"
    adding: str = "Đang tải và lập chỉ mục {count} bài viết..."
    reindexing: str = "Đang cập nhật chỉ mục..."
    # Progress by stage: the index's progress callbacks say "fetch" or "embed" (or nothing,
    # when building, which only embeds).
    fetching_progress: str = "Đang tải: {done}/{total} trang..."
    embedding_progress: str = "Đang nhúng: {done}/{total} đoạn văn..."
    reindex_failed: str = "Không cập nhật được chỉ mục: {error}"
    reindexed: str = ("Đã cập nhật chỉ mục (thế hệ {generation}): {added} bài mới, {updated} bài "
                      "sửa, {removed} bài xóa, {unchanged} bài không đổi; {embedded} đoạn được "
                      "nhúng trong {seconds:.0f} giây.")
    bad_file: str = "Tệp lỗi: {file}"
    # Scheduled crawls of FEEDS (CRAWL_INTERVAL): the summary, and /stats' lines per feed.
    crawled: str = ("🔄 Tự động cập nhật từ nguồn tin: {added} bài mới, {updated} bài sửa, "
                    "{failed} lỗi")
    crawled_added: str = "🆕 Bài mới"
    crawled_updated: str = "✏️ Bài sửa"
    crawl_backoff: str = ("⏳ {feed}: lỗi {failures} lần liên tiếp, lần thử sau lúc {when} "
                          "(giãn cách gấp đôi sau mỗi lần lỗi)")
    feeds_heading: str = "Nguồn tin tự động (mỗi {every})"
    feeds_heading_off: str = "Nguồn tin (không tự động thu thập: CRAWL_INTERVAL trống)"
    feed_never: str = "chưa thu thập lần nào"
    feed_last: str = "lần cuối {when}: {outcome}"
    feed_changed: str = "{added} bài mới, {updated} bài sửa"
    feed_unchanged: str = "không có bài mới"
    feed_not_modified: str = "không đổi (304)"
    feed_failed: str = "lỗi {failures} lần liên tiếp: {error}"
    feed_next: str = "lần sau {when}"
    feed_backoff: str = "đang giãn cách, thử lại {when}"
    # /web, for moderators and staff: a one-time link to the web console.
    console_link: str = ("Liên kết đăng nhập bảng điều khiển (dùng một lần, hết hạn sau "
                         "{minutes} phút; đừng chuyển cho ai):\n{link}")
    console_off: str = "Bảng điều khiển web chưa được bật (WEB_BASE_URL trống)."
    console_private: str = "Hãy gửi /web trong cuộc trò chuyện riêng với bot."
    console_not_allowed: str = ("Xin lỗi, bảng điều khiển chỉ dành cho cán bộ kiểm duyệt và "
                                "quản trị.")


MODERATOR = ModeratorTexts()
STAFF = StaffTexts()
# The review states as moderators read them.
STATE_NAMES = {"unanswered": "chưa trả lời được", "downvoted": "bị đánh giá 👎",
               "low": "độ tin cậy thấp", "reviewed": "đã xem xét", "spam": "spam",
               "none": "không cần xem"}
