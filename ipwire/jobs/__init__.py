"""Jobs: the stages of the pipeline glued together (crawl → process → cluster → publish)."""
