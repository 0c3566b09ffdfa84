"""What people read: every user-facing string (vi + en), Telegram HTML, console text."""
