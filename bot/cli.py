"""`python -m bot`: the Telegram bot when a token is set, else a console chat; plus `ask`."""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from bot.domain.assistant import open_assistant, open_question_log
from bot.domain.conversation import Conversations
from bot.domain.question_log import Asked
from bot.domain.too_short import too_short
from bot.present.console import chat
from bot.present.plain import answer_json, format_plain
from bot.present.texts import VI
from bot.settings import BotSettings
from index import Error, SettingsError
from index import load_settings as load_validated_settings

# `bot ask --log` records under this pseudonymous user: the command line is one "user".
CLI_USER = 0

app = typer.Typer(add_completion=False, help=(
    "Hỏi đáp chính quyền: the citizens' assistant. Without a command: the Telegram bot when "
    "TELEGRAM_BOT_TOKEN is set, otherwise a console chat (and the web console on PORT)."))
# What opening the index can raise (not built, another model, corrupt, locked): one family.
_OPEN_ERRORS = Error


def load_settings() -> BotSettings:
    """The settings, validated, with logging at LOG_LEVEL: every command starts here."""
    try:
        settings = load_validated_settings(BotSettings)
    except SettingsError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    _configure_logging(settings)
    return settings


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
    if settings.telegram_bot_token is not None:
        from bot.telegram.app import run_telegram

        run_telegram(settings)
        return
    question_log = open_question_log(settings)
    try:
        assistant = open_assistant(settings, question_log)
        assistant.index.similarity("xin chào", ["xin chào"])  # load the model before the prompt
        _open_console(settings, question_log, assistant)
        chat(assistant, Conversations(settings.conversation_ttl_s))
    except _OPEN_ERRORS as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        question_log.close()


def _open_console(settings: BotSettings, question_log, assistant) -> None:
    """The web console beside the chat, and its login link (a warning if it cannot listen)."""
    from bot.web.local import serve_locally

    try:
        link = serve_locally(settings, question_log, assistant)
    except OSError as error:
        typer.echo(f"warning: no web console: {error}", err=True)
        return
    typer.echo(f"Bảng điều khiển web (dùng một lần, 10 phút): {link}", err=True)


@app.command()
def ask(
    question: Annotated[list[str], typer.Argument(help="The question.")],
    after: Annotated[str | None, typer.Option(
        help="The previous question, when this one is a follow-up.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    log: Annotated[bool, typer.Option(
        "--log", help="Record the question in the question log (for moderators).")] = False,
) -> None:
    """Answer one question from the command line, as every face does: curated answers first."""
    text = " ".join(question)
    if too_short(text):  # no words to answer: a clear error, as JSON when JSON is asked
        if as_json:
            typer.echo(json.dumps({"error": "too_short", "message": VI.too_short},
                                  ensure_ascii=False))
        typer.echo(VI.too_short, err=True)
        raise typer.Exit(2)
    settings = load_settings()
    question_log = open_question_log(settings)
    try:
        assistant = open_assistant(settings, question_log)
        started = time.perf_counter()
        answer = assistant.answer(text, after=after)
        if log and answer.small_talk is None:
            question_log.record(Asked(
                user_id=CLI_USER, chat_type="cli", question=text, answer=answer,
                latency_ms=round((time.perf_counter() - started) * 1000),
                index_generation=assistant.index.generation))
        stats = assistant.index.stats() if answer.small_talk else None
    except _OPEN_ERRORS as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        question_log.close()
    if as_json:
        typer.echo(json.dumps(answer_json(answer, stats), ensure_ascii=False))
    else:
        typer.echo(format_plain(answer, stats))


review_app = typer.Typer(add_completion=False, help="The moderators' review queue.")
faq_app = typer.Typer(add_completion=False, help="Curated answers, served before the bot's own.")
app.add_typer(review_app, name="review")
app.add_typer(faq_app, name="faq")


def _moderation(settings: BotSettings):
    from bot.domain.moderation import Moderation

    return Moderation(open_question_log(settings), settings)


def _curated(settings: BotSettings):
    from bot.domain.curated import CuratedAnswers

    return CuratedAnswers(open_question_log(settings), settings)


@review_app.command("list")
def review_list(
    state: Annotated[str | None, typer.Option(
        help="unanswered, downvoted, low, reviewed or spam (default: all awaiting review)")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Only questions asked on or after "
                                                   "this date (YYYY-MM-DD).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV on standard output.")] = False,
) -> None:
    """List questions in the review queue (or in one state)."""
    import datetime as dt

    from bot.domain.export import csv_text, question_row

    settings = load_settings()
    try:
        day = dt.date.fromisoformat(since) if since else None
    except ValueError:
        typer.echo(f"error: --since {since!r} is not a date like 2025-01-31", err=True)
        raise typer.Exit(2) from None
    moderation = _moderation(settings)
    try:
        questions = moderation.listed(state, day)
    except ValueError as error:
        typer.echo(f"error: --state: {error}", err=True)
        raise typer.Exit(2) from None
    finally:
        moderation.log.close()
    if as_csv:
        typer.echo(csv_text(moderation.log, questions), nl=False)
    elif as_json:
        for q in questions:
            typer.echo(json.dumps(question_row(q), ensure_ascii=False))
    else:
        for q in questions:
            answer = q.moderator_answer or (q.answer if q.answered else "—")
            typer.echo(f"#{q.id}  {q.asked_at[:16].replace('T', ' ')}  {q.review_state}\n"
                       f"    hỏi: {q.question}\n    đáp: {answer[:200]}")
        typer.echo(f"{len(questions)} câu hỏi", err=True)


@review_app.command("export")
def review_export(
    path: Annotated[Path, typer.Argument(help="The CSV file to write (UTF-8 with BOM).")],
) -> None:
    """Every question and curated answer to a CSV file spreadsheets open with Vietnamese."""
    from bot.domain.export import export_csv

    log = open_question_log(load_settings())
    try:
        rows = export_csv(log, path)
    finally:
        log.close()
    typer.echo(f"{rows} dòng -> {path}")


@faq_app.command("list")
def faq_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """The curated answers."""
    curated = _curated(load_settings())
    try:
        items = curated.list()
    finally:
        curated.log.close()
    for item in items:
        if as_json:
            typer.echo(json.dumps(dataclasses.asdict(item), ensure_ascii=False))
        else:
            link = f"\n    nguồn: {item.source_url}" if item.source_url else ""
            typer.echo(f"#{item.id}  {item.question}\n    đáp: {item.answer}{link}")


@faq_app.command("add")
def faq_add(
    question: Annotated[str, typer.Argument(help="The question, as citizens ask it.")],
    answer: Annotated[str, typer.Argument(help="The verified answer.")],
    source: Annotated[str | None, typer.Option(help="A link to the source.")] = None,
) -> None:
    """Add a curated question -> answer."""
    curated = _curated(load_settings())
    try:
        new_id = curated.add(question, answer, source)
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    finally:
        curated.log.close()
    typer.echo(f"FAQ #{new_id}")


@faq_app.command("remove")
def faq_remove(curated_id: Annotated[int, typer.Argument(help="The FAQ number.")]) -> None:
    """Delete a curated answer."""
    curated = _curated(load_settings())
    try:
        found = curated.delete(curated_id)
    finally:
        curated.log.close()
    if not found:
        typer.echo(f"error: no FAQ #{curated_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"removed FAQ #{curated_id}")


def main() -> None:
    app()
