"""Query-based discovery: a news-search API's client and the slicing of its time windows."""
