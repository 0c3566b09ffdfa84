"""Whether a message is too short to be a question: every face asks for a whole one instead.

"?" , "..." or "😀😀😀" holds nothing to search: answering it "not covered" reads as a broken
bot, and logging it puts noise in the moderators' review queue.
"""

from __future__ import annotations

# A question has at least this many characters...
MIN_CHARS = 2


def too_short(question: str) -> bool:
    """Fewer than MIN_CHARS characters, or not one letter or digit among them."""
    text = question.strip()
    return len(text) < MIN_CHARS or not any(char.isalnum() for char in text)
