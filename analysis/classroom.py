"""Self-check functions for the classroom notebook (media literacy / political science).

Each check compares a student's answer with what the analysis tables say and returns
Markdown feedback (an ``IPython.display.Markdown`` object in a notebook). Answers are
compared loosely: case does not matter, a surname matches the full name, and "narrator",
"outlet", "reporter", "journalist" or "author" all mean the outlet's own voice.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.explore import first_use, md, md_escape

if TYPE_CHECKING:  # pragma: no cover
    from analysis.result import Analysis

__all__ = ["QUESTIONS", "same_voice", "check_term_voices", "check_choice", "check_count",
           "describe_score"]

NARRATOR_WORDS = {"narrator", "outlet", "reporter", "reporters", "journalist", "journalists",
                  "author", "authors", "writer", "the article", "article", "newspaper",
                  "the outlet", "the narrator", "the reporter", "the journalist", "magazine"}
_UNANSWERED = {"", "?", "...", "…", "todo", "your answer"}

QUESTIONS: dict[str, dict[str, Any]] = {
    "vader-desperate": {
        "question": "Why does VADER score a sentence about 'desperate measures' as negative?",
        "options": {
            "a": "Because 'desperate' has a negative value in VADER's word list; VADER adds up "
                 "word values and knows nothing about who is being attacked.",
            "b": "Because VADER understood that the speaker is threatening another country.",
            "c": "Because 'measures' is a negative word.",
            "d": "Because VADER reads the whole article and saw the speaker is hostile.",
        },
        "answer": "a",
        "why": "VADER is a lexicon method: each word has a fixed value (negative for "
               "'desperate'), adjusted by simple rules for negation, boosters, capitals and "
               "punctuation. It measures the tone of the words, not the speaker's attitude "
               "toward anyone. A speaker describing their own difficult situation sounds "
               "'negative' without being hostile; that is what the separate *stance* "
               "measure (speaker × actor) tries to capture.",
    },
    "sentiment-vs-stance": {
        "question": "A quote has a negative sentiment score. What does that tell you about the "
                    "speaker's stance toward the actors named in it?",
        "options": {
            "a": "The speaker is against every actor in the quote.",
            "b": "Nothing certain: negative words can describe a threat, a problem or the "
                 "speaker's own situation; stance needs a target.",
            "c": "The speaker is against the outlet that quotes them.",
        },
        "answer": "b",
        "why": "Sentiment is about the words; stance is about a target. 'We cannot coexist "
               "with this group' is negative in tone and against that group, but 'we face a "
               "threat' is negative without being against the partner the speaker appeals to.",
    },
}


def _norm(s: Any) -> str:
    return " ".join(re.sub(r"[^\w\s'-]", " ", str(s).casefold()).split())


def same_voice(answer: Any, voice: Any) -> bool:
    """Whether a student's answer names this voice (loose: surname, narrator synonyms)."""
    a, v = _norm(answer), _norm(voice)
    if not a or not v:
        return False
    if v == "narrator":
        return a in NARRATOR_WORDS or any(w in NARRATOR_WORDS for w in a.split())
    if a == v or a in v.split() or v in a:
        return True
    tokens = [t for t in a.split() if len(t) >= 3 and t not in {"the", "and", "mr", "mrs", "ms"}]
    return bool(tokens) and all(t in v.split() for t in tokens)


def _names(answer: Any) -> list[str]:
    if isinstance(answer, (list, tuple, set)):
        return [str(a) for a in answer if _norm(a)]
    parts = re.split(r",|;|\band\b|&|/", str(answer))
    return [p.strip() for p in parts if _norm(p)]


def _voice_label(v: str) -> str:
    return "the narrator (the outlet's own voice)" if v == "narrator" else f"**{md_escape(v)}**"


def check_term_voices(result: Analysis, term: str, *, first: Any = "", repeats: Any = "",
                      reveal: bool = False) -> Any:
    """Check "who introduces the term and who repeats it" against the framing table.

    Parameters
    ----------
    result : Analysis
    term : str
        A framing term (canonical form, as in ``result.framing["term"]``).
    first : str
        The student's answer: the voice that uses the term first (in text order).
    repeats : str or list of str
        The student's answer: the other voice(s) that use it later.
    reveal : bool
        Show the full answer (for the solution cell).

    Returns
    -------
    IPython.display.Markdown
        Feedback.
    """
    uses = first_use(result, term)
    if not len(uses):
        return md(f"The term *{md_escape(term)}* does not occur in this text. Pick another "
                  "one from `result.framing['term']`.")
    voices = list(dict.fromkeys(uses["voice"].astype(str)))
    first_voice, later = voices[0], voices[1:]
    lines = []
    if reveal or (_norm(first) not in _UNANSWERED):
        where = f"{_voice_label(first_voice)} (sentence {int(uses['sent_id'].iloc[0])})."
        if same_voice(first, first_voice):
            lines.append(f"✅ First use: {where}")
        elif reveal:
            lines.append(f"First use: {where}")
        else:
            lines.append("❌ First use: not quite; look at the voice in the first row of "
                         f"`explore.first_use(result, {term!r})`.")
    if reveal or _names(repeats):
        given = _names(repeats)
        hit = [v for v in later if any(same_voice(g, v) for g in given)]
        missing = [v for v in later if v not in hit]
        wrong = [g for g in given if not any(same_voice(g, v) for v in later)]
        if later and not missing and not wrong:
            lines.append("✅ Later uses: " + ", ".join(_voice_label(v) for v in later) + ".")
        elif reveal:
            lines.append("Later uses: " + (", ".join(_voice_label(v) for v in later)
                                           or "nobody else") + ".")
        else:
            lines.append(f"❌ Later uses: you found {len(hit)} of {len(later)} voice(s)"
                         + (f"; {len(wrong)} name(s) never use the term" if wrong else "")
                         + ".")
    if not lines:
        return md("Type your answers in `first` and `repeats`, then run the cell again.")
    order = "; ".join(f"{int(r.order)}. sentence {int(r.sent_id)}: {_voice_label(str(r.voice))}"
                      f" — “{md_escape(r.text)}”" for r in uses.itertuples(index=False))
    if reveal:
        lines.append(f"All uses in order: {order}.")
    return md("\n\n".join(lines))


def check_choice(question: str, answer: Any) -> Any:
    """Check a multiple-choice answer (``QUESTIONS[question]``); explains the right answer."""
    if question not in QUESTIONS:
        raise ValueError(f"question={question!r}. Fix: use one of {sorted(QUESTIONS)}.")
    q = QUESTIONS[question]
    given = _norm(answer).strip("() .")
    if given in _UNANSWERED:
        opts = "\n".join(f"- **{k}**: {v}" for k, v in q["options"].items())
        return md(f"{q['question']}\n\n{opts}\n\nSet `answer` to a letter and run again.")
    if given not in q["options"]:
        return md(f"❌ `{md_escape(answer)}` is not an option: choose one of "
                  f"{', '.join(q['options'])}.")
    ok = given == q["answer"]
    head = "✅ Right." if ok else f"❌ Not quite (you chose {given})."
    return md(f"{head} {q['why']}" if ok else f"{head} Think about what a word list can and "
              "cannot know about a speaker, then try again.")


def check_count(result: Analysis, speaker: str, kind: str, answer: Any, *,
                reveal: bool = False) -> Any:
    """Check a count of one speaker's quotations of one kind (direct, indirect, mixed)."""
    q = result.quotes
    n = int(((q["speaker"] == speaker) & (q["kind"] == kind)).sum()) if len(q) else 0
    if reveal:
        return md(f"{_voice_label(speaker)} has **{n}** {md_escape(kind)} quotation(s).")
    try:
        given = int(str(answer).strip())
    except ValueError:
        return md("Type a whole number in `answer` and run the cell again.")
    if given == n:
        return md(f"✅ Right: {n} {md_escape(kind)} quotation(s).")
    return md(f"❌ Not quite ({'too many' if given > n else 'too few'}). Count the rows of "
              "the quotes table with this speaker and kind.")


def describe_score(explained: pd.DataFrame) -> Any:
    """Plain-language summary of :func:`analysis.explain` output: which words moved the score."""
    if not len(explained):
        return md("No tokens.")
    moved = explained[explained["valence"].fillna(0) != 0]
    parts = [f"“{md_escape(r.token)}” ({r.valence:+.2f})" for r in moved.itertuples(index=False)]
    compound = explained.attrs.get("compound")
    words = ", ".join(parts) if parts else "no word in the lexicon"
    score = f"{compound:+.3f}" if isinstance(compound, (int, float)) else "?"
    return md(f"Words that carry a value: {words}. VADER sums them "
              f"({explained['valence'].sum():+.2f}), adjusts for punctuation and squashes the "
              f"sum into −1…+1: compound = **{score}**.")
