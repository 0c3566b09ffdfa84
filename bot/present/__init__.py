"""What people read: every user-facing string (vi + en, and the staff's and moderators'
Vietnamese), Telegram HTML, console text."""
