"""The annotated reader: one article, an editor's margin notes and search, built as a static site."""
