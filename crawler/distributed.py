"""Distributed crawl: any number of crawler processes share one frontier in Redis (scrapy-redis).

The request queue of each source and one request dupefilter for all sources live in Redis
(``scrapy_redis.queue.PriorityQueue`` and ``scrapy_redis.dupefilter.RFPDupeFilter``); every
``python -m crawler.run`` started with ``options.distributed`` pops from and pushes to them. The
store stays the source of truth for what was already stored: spiders still skip known article
URLs before they queue them, and the pipeline still de-duplicates by URL and content hash.

Three things scrapy-redis leaves to the application, decided here:

* **Generations.** Keys are namespaced by a *generation* of the crawl: the first process to
  arrive creates it, later ones join it, the last one to leave deletes it. A crawl started after
  that begins a fresh generation (a fresh dupefilter), so a page that failed in one crawl is
  fetched again in the next. The generation pointer expires when no live process refreshes it,
  so a crawl whose processes were all killed does not block the next one. A process killed
  mid-crawl loses the requests it had popped (scrapy-redis has no acknowledgement); the next
  crawl fetches what is still missing from the store.
* **Seeding once.** Every spider's ``start()`` (feed, sitemap, first listing page) runs only in the
  process that wins ``SET … NX`` on the generation's seed key; the others consume the queue.
* **Not closing early.** A process whose queue is empty stays open while another live process is
  busy (that one may still push requests); liveness is a heartbeat per process in a Redis hash.

Our spiders mark article and index requests ``dont_filter`` (their de-duplication is their own,
per process); across processes the Redis dupefilter is the one that counts, so this scheduler
applies it to every request except redirect and retry hops, which must reach the downloader.
All processes of one deployment must use the same database URL: the key prefix is derived from
it, so two deployments sharing a Redis server never mix their frontiers.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import sqlalchemy as sa
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from crawler.spec import CrawlOptions

log = logging.getLogger(__name__)

KEY_TTL_S = 6 * 3600  # queue, dupefilter, seed flag: gone even if every process is killed
GENERATION_TTL_S = 120  # the pointer to the current generation, refreshed by each heartbeat
HEARTBEAT_S = 1.0
STALE_AFTER_S = 30.0  # a process silent this long is presumed dead (kill -9, lost machine)


def key_prefix(database_url: str) -> str:
    """The Redis namespace of one deployment: derived from its store (password left out)."""
    rendered = sa.make_url(database_url).render_as_string(hide_password=True)
    return "ipwire:frontier:" + hashlib.sha256(rendered.encode()).hexdigest()[:12]


def distributed_settings(options: CrawlOptions, database_url: str) -> dict[str, Any]:
    """Scrapy settings that switch the scheduler to the shared Redis frontier."""
    return {
        "SCHEDULER": "crawler.distributed.RedisFrontier",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # Keys are removed by the last process of a generation (see RedisFrontier.close), not
        # by whichever process happens to finish first.
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": options.redis_url,
        "IPWIRE_FRONTIER_PREFIX": key_prefix(database_url),
    }


def distributed_spider(spider_cls: type[Spider]) -> type[Spider]:
    """A subclass of ``spider_cls`` whose ``start()`` runs in one process per generation."""

    class Distributed(spider_cls):  # type: ignore[valid-type,misc]
        async def start(self) -> AsyncIterator[Any]:
            frontier: RedisFrontier | None = getattr(self, "frontier", None)
            if frontier is not None and not frontier.claim_seed():
                self.crawler.stats.inc_value("ipwire/frontier_joined")
                return
            async for item in super().start():
                yield item

    Distributed.__name__ = Distributed.__qualname__ = spider_cls.__name__
    return Distributed


def _escape(name: str) -> str:
    # scrapy-redis formats the queue key with ``% {"spider": …}``.
    return name.replace("%", "%%")


class RedisFrontier(Scheduler):  # type: ignore[misc]  # scrapy-redis ships no types
    """scrapy-redis's scheduler with generations, single seeding and a shared idle decision."""

    crawler: Crawler
    prefix: str
    worker: str

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisFrontier:
        instance: RedisFrontier = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.prefix = crawler.settings.get("IPWIRE_FRONTIER_PREFIX", "ipwire:frontier")
        instance.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        crawler.signals.connect(instance.spider_idle, signal=signals.spider_idle)
        return instance

    # -- keys ------------------------------------------------------------------------------
    def _join_generation(self) -> str:
        self.pointer = f"{self.prefix}:generation"
        self.server.set(self.pointer, uuid.uuid4().hex[:12], nx=True, ex=GENERATION_TTL_S)
        gen = self.server.get(self.pointer)
        if gen is None:  # expired between the two calls: start one ourselves
            gen = uuid.uuid4().hex[:12]
            self.server.set(self.pointer, gen, ex=GENERATION_TTL_S)
        return gen.decode() if isinstance(gen, bytes) else str(gen)

    def open(self, spider: Spider) -> None:
        self.generation = self._join_generation()
        base = f"{self.prefix}:{self.generation}"
        # One dupefilter for every source: a feed and a sitemap of one outlet list the same
        # stories, and one fetch per URL per crawl is enough (as within one process).
        self.dupefilter_key = f"{base}:dupefilter"
        self.workers_key = f"{base}:workers"
        self.seed_key = f"{base}:{spider.name}:seeded"
        self.queue_key = _escape(f"{base}:{spider.name}:requests")
        self.worker = f"{spider.name}|{self.worker}"
        self.df = RFPDupeFilter(self.server, key=self.dupefilter_key)
        super().open(spider)
        spider.frontier = self  # type: ignore[attr-defined]
        self._beat(busy=True)
        self.heartbeat = LoopingCall(self._beat)
        self.heartbeat.start(HEARTBEAT_S, now=False)
        log.info("%s joined frontier generation %s", self.worker, self.generation)

    def claim_seed(self) -> bool:
        """True in exactly one process of the generation: the one that seeds the queue."""
        return bool(self.server.set(self.seed_key, self.worker, nx=True, ex=KEY_TTL_S))

    # -- scheduling --------------------------------------------------------------------------
    def enqueue_request(self, request: Request) -> bool:
        hop = "redirect_times" in request.meta or "retry_times" in request.meta
        if not hop and self.df.request_seen(request):
            self.df.log(request, self.spider)
            if self.stats:
                self.stats.inc_value("ipwire/frontier_duplicate", spider=self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis", spider=self.spider)
        self.queue.push(request)
        return True

    # -- liveness --------------------------------------------------------------------------
    def _beat(self, busy: bool | None = None) -> None:
        engine = self.crawler.engine
        if busy is None:
            try:
                busy = engine is not None and not engine.spider_is_idle()
            except RuntimeError:  # the engine slot is gone: closing
                busy = False
        pipe = self.server.pipeline()
        pipe.hset(self.workers_key, self.worker, f"{time.time():.3f}:{int(busy)}")
        for key in (self.workers_key, self.queue.key, self.dupefilter_key):
            pipe.expire(key, KEY_TTL_S)
        pipe.expire(self.pointer, GENERATION_TTL_S)
        pipe.execute()
        # Requests pushed by another process are noticed by Scrapy's own heartbeat only every
        # 5 s; waking the engine here keeps an idle process from sitting on a full queue.
        slot = getattr(engine, "_slot", None)
        if slot is not None and len(self.queue):
            slot.nextcall.schedule()

    def _others(self) -> dict[str, tuple[str, bool]]:
        """Other live spiders of this generation: their source and whether busy (stale pruned)."""
        now = time.time()
        out: dict[str, tuple[str, bool]] = {}
        for raw_worker, raw_state in self.server.hgetall(self.workers_key).items():
            worker = raw_worker.decode() if isinstance(raw_worker, bytes) else raw_worker
            state = raw_state.decode() if isinstance(raw_state, bytes) else raw_state
            stamp, _, flag = state.partition(":")
            if worker == self.worker:
                continue
            if now - float(stamp) > STALE_AFTER_S:
                self.server.hdel(self.workers_key, worker)
                log.warning(
                    "frontier: %s silent for %.0fs, presumed dead", worker, now - float(stamp)
                )
                continue
            out[worker] = (worker.partition("|")[0], flag == "1")
        return out

    def spider_idle(self, spider: Spider) -> None:
        """Keep this process open while the shared queue has work or another process is busy."""
        self._beat(busy=False)
        if len(self.queue):
            raise DontCloseSpider
        # Only a busy process of the same source can still push requests into this queue.
        if any(busy and name == spider.name for name, busy in self._others().values()):
            raise DontCloseSpider

    def close(self, reason: str) -> None:
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat is not None and heartbeat.running:
            heartbeat.stop()
        self.server.hdel(self.workers_key, self.worker)
        if not self._others():
            # The last spider of the generation: end it, so the next crawl seeds afresh.
            current = self.server.get(self.pointer)
            if (
                current is not None
                and (current.decode() if isinstance(current, bytes) else current) == self.generation
            ):
                self.server.delete(self.pointer)
            keys = list(self.server.scan_iter(match=f"{self.prefix}:{self.generation}:*"))
            if keys:
                self.server.delete(*keys)
            log.info("%s: frontier generation %s ended", self.spider.name, self.generation)
        super().close(reason)
