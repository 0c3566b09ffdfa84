"""The answer domain, with no Telegram in it: answers, curated answers, the review queue, CSV
export, topics, the question log, privacy and rate limits.
"""
