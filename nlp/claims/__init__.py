"""Claim extraction: who accuses whom of what, how sure they are, who said it.

Public API::

    from nlp.claims import extract_claims, ClaimContext

Cue phrases, stance words and legal-status words are data in ``nlp/patterns/`` (see
:mod:`nlp.claims.lexicon` for the phrase syntax).
"""

from nlp.claims.context import ClaimContext
from nlp.claims.extract import extract_claims
from nlp.claims.lexicon import Lexicon, default_lexicon, load_lexicon

__all__ = ["ClaimContext", "Lexicon", "default_lexicon", "extract_claims", "load_lexicon"]
