"""The citizens' assistant: answers questions from the indexed articles, on Telegram or a console.

`domain` decides (answers, curated answers, moderation, the question log); `present` words it;
`telegram` is the bot; `cli` is `python -m bot`.
"""
