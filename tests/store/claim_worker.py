"""A separate worker process for the queue concurrency tests (run as a script).

usage: claim_worker.py URL WORKER_ID drain OUTFILE BATCH LEASE
       claim_worker.py URL WORKER_ID hold BATCH LEASE

``drain`` claims batches until none are left, marks each article done and writes the ids it
claimed to OUTFILE (JSON). ``hold`` claims one batch, prints its ids as JSON on stdout and then
sleeps, holding the lease, until it is killed.
"""

from __future__ import annotations

import json
import sys
import time

from nlp.types import Annotations, Entity, Mention
from store import claim_batch, make_engine, make_session_factory, save_annotations_batch

VERSION = "test-1"


def _annotations(article_id: int) -> Annotations:
    """A few new entities shared between articles (in varying order), as real workers find."""
    ids = [f"ent-{(article_id * k) % 7}" for k in (3, 1, 5)]
    return Annotations(
        nlp_version=VERSION,
        relevant=False,
        relevance=0.0,
        entities=tuple(Entity(id=i, name=i.upper(), type="ORG") for i in ids),
        mentions=tuple(Mention(i, n, n + 3, i, 0) for n, i in enumerate(ids)),
    )


def main(argv: list[str]) -> None:
    url, worker, mode = argv[1], argv[2], argv[3]
    factory = make_session_factory(make_engine(url))
    if mode == "hold":
        batch, lease = int(argv[4]), int(argv[5])
        with factory() as s:
            got = claim_batch(s, worker, batch, lease, VERSION)
        print(json.dumps([a.id for a in got]), flush=True)
        time.sleep(3600)
        return
    out, batch, lease = argv[4], int(argv[5]), int(argv[6])
    claimed: list[int] = []
    while True:
        with factory() as s:
            got = claim_batch(s, worker, batch, lease, VERSION)
        if not got:
            break
        claimed.extend(a.id for a in got)
        # The whole batch in one transaction: the way that deadlocked when entities were
        # inserted article by article inside it.
        save_annotations_batch(factory, [(a.id, _annotations(a.id)) for a in got], VERSION)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(claimed, f)


if __name__ == "__main__":
    main(sys.argv)
