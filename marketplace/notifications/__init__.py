"""In-site notifications, the outbox of messages to send, and China's calendar for reminders."""
