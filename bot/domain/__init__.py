"""The answer domain, with no Telegram in it.

Answers and their scoring, curated answers, the question log, moderation, privacy, rate limits.
"""
