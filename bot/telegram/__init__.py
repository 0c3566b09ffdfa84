"""The Telegram face: the wiring, and one module per kind of user (citizens, moderators, staff)."""
