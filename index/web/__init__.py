"""The web as untrusted input: fetch pages safely, extract articles, read feeds and sitemaps."""
