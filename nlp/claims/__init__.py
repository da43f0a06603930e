"""Claim extraction: who accuses whom of what, how sure they are, who said it.

Public API::

    from nlp.claims import extract_claims, ClaimContext

Cue phrases, stance words and legal-status words are data in ``nlp/patterns/`` (see
:mod:`nlp.claims.lexicon` for the phrase syntax). The modules, in the order a document flows
through them:

* :mod:`~nlp.claims.lexicon` — loads ``claim_types.jsonl``, ``stance.jsonl``, ``legal.jsonl``; the
  phrase matcher (a dict lookup per token);
* :mod:`~nlp.claims.cues` — claim candidates per sentence (one type per trigger word);
* :mod:`~nlp.claims.frames` — argument positions read off the dependency parse;
* :mod:`~nlp.claims.resolve` — tokens to linked entities (pronouns, "the company", datelines);
* :mod:`~nlp.claims.parties` — accuser, speaker and victim;
* :mod:`~nlp.claims.stance` — stance and legal status;
* :mod:`~nlp.claims.extract` — the per-sentence pipeline and precision filters;
* :mod:`~nlp.claims.merge` — article-level consistency (unnamed culprits, shared plaintiff).
"""

from nlp.claims.context import ClaimContext
from nlp.claims.extract import extract_claims
from nlp.claims.lexicon import Lexicon, default_lexicon, load_lexicon

__all__ = ["ClaimContext", "Lexicon", "default_lexicon", "extract_claims", "load_lexicon"]
