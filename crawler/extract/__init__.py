"""Article extraction: from a fetched page to title, body, date, authors and canonical URL.

``from crawler.extract import extract_article, ExtractedArticle`` is the public API; the
submodules split the work by evidence source (``metadata``: what the page declares, ``body``:
trafilatura, ``fields``: cleaning declared values).
"""

from crawler.extract.article import MAX_HTML_CHARS, ExtractedArticle, extract_article

__all__ = ["MAX_HTML_CHARS", "ExtractedArticle", "extract_article"]
