"""One NLP worker process: ``ipwire process``'s claim → analyse → save loop, without clustering.

usage: nlp_worker.py   (database URL, lease and batch size from IPWIRE_* variables)

Clustering after each batch is a separate stage with its own concurrency story; these trials
measure the lease queue, so the worker runs :func:`ipwire.jobs.process.process_loop` directly.
"""

from __future__ import annotations

import logging
import os
import sys

from ipwire.config import load_settings
from ipwire.jobs.process import process_loop, seed_kb


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    settings = load_settings(None)
    seed_kb(settings)
    batch = int(os.environ.get("SCALE_BATCH", "5"))
    result = process_loop(settings, batch_size=batch)
    print(f"processed {result.processed} article(s), {result.failed} failed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
