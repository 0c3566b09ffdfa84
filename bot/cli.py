"""`python -m bot`: the Telegram bot when a token is set, else a console chat; plus `ask`."""

from __future__ import annotations

import json
import logging
import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from bot.console import chat, format_plain
from bot.services import open_answerer
from bot.settings import BotSettings
from index import (
    EmbeddingError,
    IndexCorruptError,
    IndexMismatchError,
    IndexNotBuiltError,
    LockTimeoutError,
)

app = typer.Typer(add_completion=False, help="Hỏi đáp chính quyền: the citizens' assistant.")
_OPEN_ERRORS = (IndexMismatchError, IndexCorruptError, IndexNotBuiltError, EmbeddingError,
                LockTimeoutError)


def load_settings() -> BotSettings:
    try:
        return BotSettings()
    except ValidationError as error:
        for problem in error.errors():
            name = ".".join(str(p) for p in problem["loc"]).upper()
            typer.echo(f"setting {name}: {problem['msg']}", err=True)
        raise typer.Exit(2) from None


def _configure_logging(settings: BotSettings) -> None:
    logging.basicConfig(level=settings.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)


@app.callback(invoke_without_command=True)
def run(ctx: typer.Context) -> None:
    """Start the bot: Telegram when TELEGRAM_BOT_TOKEN is set, otherwise a console chat."""
    if ctx.invoked_subcommand is not None:
        return
    settings = load_settings()
    _configure_logging(settings)
    if settings.telegram_bot_token is not None:
        from bot.telegram_app import run_telegram

        run_telegram(settings)
        return
    try:
        answerer = open_answerer(settings)
    except _OPEN_ERRORS as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    chat(answerer)


@app.command()
def ask(
    question: Annotated[list[str], typer.Argument(help="The question.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Answer one question from the command line."""
    settings = load_settings()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        answer = open_answerer(settings).answer(" ".join(question))
    except _OPEN_ERRORS as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        typer.echo(format_plain(answer))


def main() -> None:
    app()
