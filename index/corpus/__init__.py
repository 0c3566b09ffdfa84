"""The knowledge folder: one Markdown article per file, read, validated and written."""
