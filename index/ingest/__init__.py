"""Adding articles: a `Library` whose verbs bring URLs, files, feeds and sitemaps into the
knowledge folder and the index (report, drafts, placement, crawl planning, feed state: one file
each)."""
