"""The web face: the moderators' and staff's console, the citizens' web chat and its API,
the Telegram webhook, /healthz and /metrics, in one ASGI app (`bot.web.app.build_web_app`)."""
