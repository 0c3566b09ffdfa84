"""One module of views per family of pages."""
