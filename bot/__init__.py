"""kuril-bot: a Discord knowledge bot for the Kuril Islands dispute."""
