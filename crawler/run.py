"""Run one crawl in this process: ``python -m crawler.run SPEC.json [--out RESULT.json]``.

Every source gets its own spider; all run in one reactor, which is started exactly once per
process (it cannot be restarted). The result file lists one summary per source run. With
``options.distributed`` the spiders share their frontier in Redis with every other crawler
process of the deployment (see :mod:`crawler.distributed`).
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawler import accounting
from crawler.settings import base_settings, source_overrides
from crawler.spec import CrawlSpec
from crawler.spiders import SPIDERS


def tune_gc() -> None:
    """Collect cyclic garbage less often, and never rescan what start-up imported.

    A crawl allocates a great many short-lived objects per page (Deferreds, asyncio handles,
    headers), and CPython's default gen-0 threshold (700) ran a collection every few pages; each
    older-generation collection also walked every object the imports had created. Freezing the
    start-up heap (``gc.freeze``, as the CPython docs advise before forking workers: it keeps
    their copied pages shared) and a gen-0 threshold of 10,000 took a fifth off the crawl
    process's CPU in ``bench/crawl_bench.py``. Garbage is still collected, just in larger
    batches: memory stays flat. The page workers are forked after this, and inherit it.
    """
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def crawl(spec: CrawlSpec) -> list[dict[str, Any]]:
    """Crawl every source of ``spec`` and return their run summaries. Once per process."""
    tune_gc()
    settings = base_settings(spec.options, spec.database_url)
    if spec.options.distributed:
        # Imported only here: a single-machine crawl needs neither Redis nor scrapy-redis.
        from crawler.distributed import distributed_settings

        settings.update(distributed_settings(spec.options, spec.database_url))
    # Logging is this process's (``main`` configures it): Scrapy's root handler would print
    # every line twice, and Scrapy's loggers would be at DEBUG, building every page's
    # "Crawled"/"Scraped" records only for the handler to drop them.
    settings["LOG_INSTALL_ROOT_HANDLER"] = False
    process = CrawlerProcess(settings=settings)
    logging.getLogger("scrapy").setLevel(logging.getLogger().getEffectiveLevel())
    requested: set[str] = set()  # one fetch per article URL across the sources of this crawl
    for source in spec.sources:
        spider_cls = SPIDERS[source.kind]
        # A search source tracks its slices in this process: it is never shared through Redis.
        if spec.options.distributed and source.kind != "search":
            from crawler.distributed import distributed_spider

            spider_cls = distributed_spider(spider_cls)  # type: ignore[assignment]
        overrides = source_overrides(source)
        if source.kind == "search":
            # The API's pace is kept across the search sources of this process (their own
            # download slots are per crawler): added to the crawl's middlewares, not instead.
            overrides["DOWNLOADER_MIDDLEWARES"] = {
                **settings["DOWNLOADER_MIDDLEWARES"],
                "crawler.search.pacing.ApiPacing": 90,
            }
        if overrides:
            spider_cls = type(spider_cls.__name__, (spider_cls,), {"custom_settings": overrides})
        process.crawl(
            spider_cls,
            source=source,
            database_url=spec.database_url,
            options=spec.options,
            requested=requested,
        )
    process.start()
    return list(accounting.FINISHED)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("spec", type=Path, help="crawl spec JSON written by ipwire")
    parser.add_argument("--out", type=Path, help="write the run summaries here (JSON)")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    # The handler's own level: Scrapy sets the root logger to NOTSET, and without it every
    # DEBUG line (each scraped item's full text) would reach stderr.
    handler.setLevel(args.log_level)
    logging.basicConfig(level=args.log_level, handlers=[handler])
    summaries = crawl(CrawlSpec.load(args.spec))
    text = json.dumps(summaries, indent=2)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
