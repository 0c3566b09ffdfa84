"""The bot's settings: the index's settings plus Telegram, answers, moderation and privacy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from bot.domain.database import database_url
from index import IndexSettings, split_list_setting


class BotSettings(IndexSettings):
    """Read from the environment and `.env`; every field is documented in `.env.example`."""

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = Field(8080, ge=1, le=65535)
    concurrent_updates: int = Field(32, ge=1, le=1024, description="Updates handled at once.")
    answer_workers: int = Field(
        2, ge=1, le=64, description="Threads that answer questions (CPU work, off the event loop)."
    )
    typing_after_s: float = Field(
        1.0, ge=0, le=4.5, description="Show \"typing…\" only for an answer not ready by then "
        "(0: at once).")
    telegram_max_retries: int = Field(
        3, ge=0, le=10, description="Retries of a Telegram call after 429, a network error or 5xx."
    )

    answer_min_confidence: float = Field(
        0.45, ge=0, le=1, description="Below this the bot says the articles do not cover it."
    )
    low_confidence: float = Field(
        0.6, ge=0, le=1, description="Answers below this go to the moderators' review queue."
    )
    answer_max_sentences: int = Field(3, ge=1, le=6)
    answer_max_chars: int = Field(700, ge=100, le=3000)
    dense_gap_floor: float = Field(
        0.04, description="Cosine above the question's median at which dense evidence starts."
    )
    dense_gap_ceiling: float = Field(0.10, description="... and at which it is full.")

    max_question_chars: int = Field(500, ge=10, le=4000)
    rate_limit_questions: int = Field(5, ge=1)
    rate_limit_window_s: float = Field(30.0, gt=0)

    database_url: SecretStr = Field(
        SecretStr(""), description="Question log, curated answers, review claims and rate "
        "limits: empty = the SQLite file under DATA_DIR; postgresql://... to share them.")
    log_secret: SecretStr = Field(
        SecretStr("change-me"), description="HMAC key that turns Telegram ids into pseudonyms."
    )
    log_retention_days: int = Field(180, ge=1)
    staff_ids: Annotated[set[int], NoDecode] = Field(default_factory=set)
    moderator_ids: Annotated[set[int], NoDecode] = Field(default_factory=set)
    moderator_chat_id: int | None = None
    staff_chat_id: int | None = Field(
        None, description="Where scheduled crawls report; empty: each of STAFF_IDS.")
    curated_min_similarity: float = Field(0.6, ge=0, le=1)
    conversation_ttl_s: float = Field(
        600.0, gt=0, description="A follow-up is read with the chat's previous question for "
        "this long after it (memory only).")
    moderator_announce_interval_s: float = Field(
        60.0, gt=0, description="At most one announcement to MODERATOR_CHAT_ID this often."
    )

    web_base_url: str | None = Field(
        None, description="Public address of the web console and chat (login links point "
        "here); in polling mode the web server runs only when it is set.")
    web_host: str = Field("0.0.0.0", description="Address the web server listens on.")
    web_chat: bool = Field(False, description="Serve the citizens' web chat at `/`.")
    web_chat_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed to call /api/ask (CORS); empty: none.")
    web_session_secret: SecretStr = Field(
        SecretStr("change-me"), description="Signs console login links and web cookies.")

    @field_validator("staff_ids", "moderator_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        """Accept `STAFF_IDS=1,2,3` as well as a JSON list."""
        if isinstance(value, int):
            return {value}
        return split_list_setting(value)

    @property
    def console_url(self) -> str | None:
        """Where login links point: WEB_BASE_URL, else the webhook's own origin."""
        if self.web_base_url:
            return self.web_base_url
        if self.webhook_url:
            parsed = urlparse(self.webhook_url)
            return f"{parsed.scheme}://{parsed.netloc}"
        return None

    @property
    def staff_chats(self) -> list[int]:
        """Who hears what a scheduled crawl did: STAFF_CHAT_ID, else each of STAFF_IDS."""
        return [self.staff_chat_id] if self.staff_chat_id is not None else sorted(self.staff_ids)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: SecretStr) -> SecretStr:
        """A wrong DATABASE_URL stops the bot at start-up, naming what is accepted."""
        database_url(value.get_secret_value(), Path("data"))
        return value

    @field_validator("web_chat_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        """`WEB_CHAT_ORIGINS=https://a.gov.vn,https://b.gov.vn`: scheme and host, no path."""
        origins = split_list_setting(value)
        if isinstance(origins, list):
            for origin in origins:
                parsed = urlparse(str(origin))
                if parsed.scheme not in ("http", "https") or not parsed.netloc or (
                        parsed.path not in ("", "/")):
                    raise ValueError(f"WEB_CHAT_ORIGINS: {origin!r} is not an origin like "
                                     "https://portal.example.gov.vn")
            return [str(o).rstrip("/") for o in origins]
        return origins

    @field_validator("web_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str):
            parsed = urlparse(value.strip())
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise ValueError(f"WEB_BASE_URL: {value!r} must start with http:// or https://")
            return value.strip().rstrip("/")
        return value

    @field_validator("staff_chat_id", mode="before")
    @classmethod
    def _blank_chat(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_bot_token", "webhook_secret", "webhook_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value
