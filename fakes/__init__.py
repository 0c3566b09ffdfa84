"""Local stand-ins for what tests and benchmarks cannot reach from here: the Telegram Bot API
(`telegram_api.FakeTelegram`) and a news site with feeds and sitemaps (`news_site.NewsSite`),
both on 127.0.0.1. Not part of the product."""
