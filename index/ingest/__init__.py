"""Adding articles: from URLs, files, feeds and sitemaps to the knowledge folder and the index."""
