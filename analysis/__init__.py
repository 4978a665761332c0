"""Discourse analysis of news text.

Who is quoted, what each speaker says about each actor, how positive or negative it is, and
which framing words the outlet uses in its own voice versus in its sources' mouths.

Quick start::

    import analysis
    result = analysis.analyze("data/raw/iran-offers-iraq-everything-it-needs.txt")
    result.by_speaker()          # who is quoted, how much, in what tone
    result.stance()              # speaker x actor stance with evidence
    result.kwic("void")          # framing term in context

The top-level API is small and loads lazily, so ``import analysis`` stays fast: pandas,
NLTK and VADER load on first use; seaborn and Jupyter only for charts and reports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "analyze": "analysis.pipeline",
    "analyze_corpus": "analysis.pipeline",
    "analyze_document": "analysis.pipeline",
    "Settings": "analysis.pipeline",
    "Analysis": "analysis.result",
    "load": "analysis.load",
    "iter_documents": "analysis.load",
    "Document": "analysis.load",
    "LoadError": "analysis.load",
    "LexiconError": "analysis.lexicons",
    "score_sentences": "analysis.sentiment",
    "score_targets": "analysis.sentiment",
    "explain": "analysis.sentiment",
    "kwic": "analysis.framing",
    "kwic_html": "analysis.framing",
    "extract_quotes": "analysis.quotes",
}

__all__ = [
    "Analysis", "Document", "LexiconError", "LoadError", "Settings", "__version__", "analyze",
    "analyze_corpus", "analyze_document", "explain", "extract_quotes", "iter_documents", "kwic",
    "kwic_html", "load", "score_sentences", "score_targets",
]

if TYPE_CHECKING:  # pragma: no cover
    from analysis.framing import kwic, kwic_html
    from analysis.lexicons import LexiconError
    from analysis.load import Document, LoadError, iter_documents, load
    from analysis.pipeline import Settings, analyze, analyze_corpus, analyze_document
    from analysis.quotes import extract_quotes
    from analysis.result import Analysis
    from analysis.sentiment import explain, score_sentences, score_targets


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # cache: later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
