"""The Telegram face: the wiring (`app`), typed shared data (`context`), the access check, the
scheduled jobs, and one module of handlers per kind of user (citizens, moderators, staff)."""
