"""The web settings: read from the environment, checked at start-up with a clear message."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from bot.domain.console_access import session_secret
from bot.settings import BotSettings


def test_web_chat_origins_are_origins_and_the_base_url_is_an_address(monkeypatch) -> None:
    monkeypatch.setenv("WEB_CHAT_ORIGINS", "https://a.gov.vn, https://b.gov.vn/")
    monkeypatch.setenv("WEB_BASE_URL", "https://hoidap.gov.vn/")
    settings = BotSettings(_env_file=None)
    assert settings.web_chat_origins == ["https://a.gov.vn", "https://b.gov.vn"]
    assert settings.console_url == "https://hoidap.gov.vn"
    monkeypatch.setenv("WEB_CHAT_ORIGINS", "a.gov.vn")
    with pytest.raises(ValidationError, match="not an origin"):
        BotSettings(_env_file=None)
    monkeypatch.delenv("WEB_CHAT_ORIGINS")
    monkeypatch.setenv("WEB_BASE_URL", "hoidap.gov.vn")
    with pytest.raises(ValidationError, match="http"):
        BotSettings(_env_file=None)


def test_login_links_use_the_webhook_origin_when_no_base_url_is_set() -> None:
    settings = BotSettings(_env_file=None, webhook_url="https://bot.gov.vn/telegram")
    assert settings.console_url == "https://bot.gov.vn"
    assert BotSettings(_env_file=None).console_url is None


def test_the_session_secret_is_generated_once_and_a_short_one_refused_in_production(
        tmp_path) -> None:
    settings = BotSettings(_env_file=None, data_dir=tmp_path)
    first = session_secret(settings, production=True)
    assert len(first) >= 32 and session_secret(settings, production=False) == first
    assert (tmp_path / "web-session-secret").stat().st_mode & 0o777 == 0o600
    short = settings.model_copy(update={"web_session_secret": SecretStr("short")})
    with pytest.raises(ValueError, match="WEB_SESSION_SECRET"):
        session_secret(short, production=True)
    assert session_secret(short, production=False) == "short"
