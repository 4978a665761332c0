"""Tests of analysis.sentiment (exactness against VADER, news settings, targets, explain)."""

from __future__ import annotations

import json
import random
import re
import string
from pathlib import Path
from typing import Any

import pytest
from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

from analysis.lexicons import LexiconError
from analysis.sentiment import (
    _CASE_TRAPS,
    _LOWER_TRAPS,
    SentimentScorer,
    _demojize,
    _final_scores,
    _text_valences,
    explain,
    get_scorer,
    score_sentences,
    score_targets,
    target_features,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NYT = SHARED / "vader" / "nyt_editorial_snippets_dev.tsv"
MTSC = SHARED / "newsmtsc" / "train.jsonl"

TRICKY = [
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "Not bad at all",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Sentiment analysis has never been this good!",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "no no no bad, but good but bad",
    "Without a doubt, an excellent idea???",
    "",
]


@pytest.fixture(scope="module")
def vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def _keys(d: dict) -> dict:
    return {k: d[k] for k in ("compound", "pos", "neu", "neg")}


@pytest.mark.parametrize("text", TRICKY)
def test_vader_mode_and_explain_are_exact(text: str, vader: SentimentIntensityAnalyzer) -> None:
    ref = _keys(vader.polarity_scores(text))
    assert SentimentScorer(lexicon="vader").polarity(text) == ref
    frame = explain(text, lexicon="vader")
    assert _keys(frame.attrs) == ref


def _shared_texts() -> list[str]:
    texts = [line.rstrip("\n").split("\t")[2] for line in NYT.open(encoding="utf-8")]
    mtsc = [json.loads(line)["sentence_normalized"] for line in MTSC.open(encoding="utf-8")]
    return texts + random.Random(0).sample(mtsc, 1500)


@pytest.mark.skipif(not (NYT.exists() and MTSC.exists()), reason="shared data absent")
def test_explain_exact_on_dev_data(vader: SentimentIntensityAnalyzer) -> None:
    bad = [t for t in _shared_texts()
           if _keys(explain(t, lexicon="vader").attrs) != _keys(vader.polarity_scores(t))]
    assert bad == []


def test_explain_records_rules() -> None:
    frame = explain("The food was not VERY good, but the service was great!", lexicon="vader")
    good = frame[frame.token == "good"].iloc[0]
    assert good.booster != 0 and good.caps_emphasis == 0
    assert good.negation == 1 and good.but_weight == pytest.approx(0.5)
    great = frame[frame.token == "great"].iloc[0]
    assert great.but_weight == pytest.approx(1.5) and great.punct_mark
    assert frame[frame.token == "VERY"].iloc[0].role == "booster"
    assert frame.attrs["punct_amplifier"] == pytest.approx(0.292)
    least = explain("It is the least compelling film.", lexicon="vader")
    assert bool(least[least.token == "compelling"].iloc[0].least)


def test_explain_news_matches_scorer() -> None:
    text = "The regime is a state sponsor of terrorism, officials said."
    frame = explain(text)
    assert frame.attrs["compound"] == get_scorer("news").polarity(text)["compound"]
    assert "state_sponsor_of_terrorism" in frame.token.str.lower().tolist()


def test_news_lexicon_phrases_and_words() -> None:
    news, plain = get_scorer("news"), get_scorer("vader")
    assert plain.polarity("The insurgency spread.")["compound"] == 0.0
    assert news.polarity("The insurgency spread.")["compound"] < 0
    assert news.polarity("He called it an existential threat.")["compound"] < \
        plain.polarity("He called it an existential threat.")["compound"] + 0.0001
    # "like" as a preposition is not praise in news
    assert news.polarity("Some terms, like outlays, are technical.")["compound"] == 0.0
    assert plain.polarity("Some terms, like outlays, are technical.")["compound"] > 0


def test_news_neutral_stays_zero_and_in_range() -> None:
    out = score_sentences(["The committee met on Tuesday.", "Awful, terrible, horrible!!!",
                           "Wonderful, great, excellent!!!"])
    assert out.loc[0, "compound"] == 0.0
    assert out.loc[1, "compound"] < -0.5 and out.loc[2, "compound"] > 0.5
    assert out["compound"].between(-1, 1).all()


def test_score_sentences_shape_and_order() -> None:
    texts = ["Good news.", "Bad news.", "News."]
    out = score_sentences(texts, lexicon="vader")
    assert list(out.columns[:4]) == ["compound", "pos", "neu", "neg"]
    assert len(out) == 3 and out.loc[0, "compound"] > 0 > out.loc[1, "compound"]
    assert score_sentences([]).shape == (0, 4)
    with pytest.raises(TypeError, match="iterable of sentences"):
        score_sentences("one string")


def test_extra_lexicon_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("version: 1\nentries:\n  - {term: frobnicate, valence: 3.0, rationale: x}\n",
                    encoding="utf-8")
    scorer = SentimentScorer(extra_lexicons=[path])
    assert scorer.polarity("They frobnicate.")["compound"] > 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nentries:\n  - {term: x, valence: 9}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="bad.yaml:3"):
        SentimentScorer(extra_lexicons=[bad])


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="lexicon="):
        SentimentScorer(lexicon="afinn")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="extra_lexicons"):
        SentimentScorer(extra_lexicons="x.yaml")  # type: ignore[arg-type]


def test_score_targets_direction() -> None:
    text = "Senators praised Smith, while critics accused Jones of lying."
    out = score_targets(text, [(17, 22), (45, 50)])
    assert list(out.columns[:4]) == ["start", "end", "score", "label"]
    assert out.loc[0, "score"] > out.loc[1, "score"]
    assert out.loc[1, "label"] == "negative"
    assert "accused" in out.loc[1, "cues"]
    with pytest.raises(ValueError, match="outside the text"):
        score_targets(text, [(0, 999)])


def _features(text: str, target: str) -> dict:
    start = text.index(target)
    return target_features(text, start, start + len(target), scorer=get_scorer("news"))[0]


def test_target_role_object_vs_subject() -> None:
    obj = _features("Critics accused Smith of fraud.", "Smith")
    assert obj["object_negative"] == 1 and obj["subject_negative"] == 0
    subj = _features("Smith accused critics of fraud.", "Smith")
    assert subj["subject_negative"] == 1 and subj["object_negative"] == 0
    passive = _features("Smith was sharply criticized for the delay.", "Smith")
    assert passive["object_negative"] == 1
    praised = _features("Smith was praised for the rescue.", "Smith")
    assert praised["object_positive"] == 1 and praised["object_negative"] == 0
    out = score_targets("Critics accused Smith of fraud.", [(16, 21)])
    assert out.loc[0, "label"] == "negative"


def test_target_speaker_quote_negation_features() -> None:
    said = _features("Smith said the plan was a disaster.", "Smith")
    assert said["speaker"] == 1 and said["first"] == 1
    assert _features("The plan failed, according to Smith.", "Smith")["speaker"] == 1
    quoted = _features('Jones wrote: "Smith is a fraud."', "Smith")
    assert quoted["in_quote"] == 1
    other = _features('"It is a fraud," Smith said.', "Smith")
    assert other["in_quote"] == 0 and other["other_quote"] == 1
    assert _features("Smith did not win.", "Smith")["negated"] == 1
    assert _features("He won.", "He")["pronoun"] == 1


def test_target_near_valence_is_local() -> None:
    text = "Smith is a brilliant leader, and the committee met on Tuesday in a dull room."
    near = _features(text, "Smith")
    far = _features(text, "committee")
    assert near["near_pos"] > far["near_pos"]
    # the target's own words are its self valence, not context
    assert _features("The corrupt regime fell.", "The corrupt regime")["self_valence"] < 0


def test_target_score_is_probability_difference() -> None:
    text = "Senators praised Smith, while critics accused Jones of lying."
    out = score_targets(text, [(17, 22), (45, 50)])
    assert out["score"].between(-1, 1).all()
    for score, label in zip(out["score"], out["label"], strict=True):
        assert (label == "negative") <= (score < 0)
    assert score_targets(text, []).shape[0] == 0


def test_vader_mode_exact_on_long_and_repetitive_text(vader: SentimentIntensityAnalyzer) -> None:
    # the one-pass rules (and the O(n log n) "but" rule, which keeps VADER's list.index quirk
    # with repeated valences) against VADER itself
    rng = random.Random(3)
    vocab = ["but", "BUT", "not", "no", "never", "so", "this", "good", "GOOD", "bad", "kind",
             "of", "very", "least", "at", "without", "doubt", "nor", "isn't", "the", "bomb",
             "sort", "kiss", "death", "!", "??", "nice", "slightly", ":)", "💘", "a", "kinda"]
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 40))) for _ in range(400)]
    texts.append("great 💘 not bad but good " * 300)
    scorer = SentimentScorer(lexicon="vader")
    assert [scorer.polarity(t) for t in texts] == [_keys(vader.polarity_scores(t)) for t in texts]


# --- fast paths of the scorer (whole-text lower-casing, lazy ALL-CAPS flags, "plain" words,
# --- phrase hints, early exits) against VADER's own rules, value by value
def _vader_valences(analyzer: SentimentIntensityAnalyzer, text: str) -> list:
    """VADER's polarity_scores loop after the emoji step (verbatim), with ``analyzer``'s
    lexicon."""
    sentitext = SentiText(text)
    words = sentitext.words_and_emoticons
    sentiments: list = []
    for i, item in enumerate(words):
        if item.lower() in BOOSTER_DICT:
            sentiments.append(0)
            continue
        if i < len(words) - 1 and item.lower() == "kind" and words[i + 1].lower() == "of":
            sentiments.append(0)
            continue
        sentiments = analyzer.sentiment_valence(0, sentitext, item, i, sentiments)
    return analyzer._but_check(words, sentiments)


def _slow_prepare(analyzer: Any, text: str) -> str:
    """The news preparation without any hint: demojize, then always the phrase regex."""
    text = _demojize(analyzer.emojis, text)
    return analyzer.phrase_re.sub(lambda m: "_".join(m.group(0).split()), text)


def _assert_fast_paths_exact(texts: list[str], vader: SentimentIntensityAnalyzer) -> None:
    plain, news = SentimentScorer(lexicon="vader"), SentimentScorer(lexicon="news")
    analyzer = news.analyzer
    for text in texts:
        assert plain.polarity(text) == _keys(vader.polarity_scores(text)), text
        prepared = _demojize(vader.emojis, text)
        # the same values, types (0 vs 0.0) and signs of zero as VADER's list
        assert list(map(repr, _text_valences(vader.lexicon, prepared))) == list(
            map(repr, _vader_valences(vader, prepared))), text
        slow = _slow_prepare(analyzer, text)
        fast, low = analyzer._prepare(text)
        assert fast == slow and (low is None or low == fast.lower()), text
        ref = _vader_valences(analyzer, slow)
        assert list(map(repr, _text_valences(analyzer.lexicon, fast, low))) == list(
            map(repr, ref)), text
        c, p, u, n = _final_scores(ref, slow, analyzer.calibration)
        assert news.polarity(text) == {"compound": c, "pos": p, "neu": u, "neg": n}, text


CRAFTED = [
    # ASCII and non-ASCII (whole-text lower-casing vs word by word: capital sigma, dotted I)
    "The food was GOOD, but the service was not great.",
    "The food was GOOD, but the service was “not great”.",
    "ΟΔΟΣ good ΣΑΣ. bad Σ. great", "İİ. good İ, bad", "\u212aILL the good ones",
    "\u212aill GOOD people", "ÉNORME good", "énorme GOOD", "Ǆ good ǅ bad",
    # emoji, emoticons
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "great 😁 :) :-( ok. ok",
    # "but", "no", negations, "n't"
    "no no no bad, but good but bad", "No, it is not bad", "no good", "not no bad",
    "It isn't good", "It ISN'T good", "It isn\u2019t good", "never so good", "never this bad",
    "without doubt good", "at least good", "very least good", "the least good",
    "nothing or no good", "no or bad", "BUT good", "good but", "but",
    # idioms and "kind of"
    "it was the bomb", "yeah right good", "a kiss of death", "to die for", "the shit",
    "bus stop good", "kind of good", "sort of bad", "just enough good", "beating heart",
    "this is kind of good", "it was a bad ass movie", "it was the kiss of death",
    "it is the shit", "he is just enough good", "she was, like, kind of great",
    # boosters in caps, all caps, mixed
    "VERY good", "very GOOD", "EXTREMELY bad ideas", "GOOD BAD", "I am VERY HAPPY today",
    "The U.S. GOP won", "REALLY really good", "A good day", "GOOD",
    "VERY of the good", "very of the GOOD", "VERY the good", "least good", "good😁", "hardly the old bad", "never the so good",
    "without a doubt good", "not the old good", "isn't the big bad", "It IS like war",
    # long texts (ALL-CAPS flags at once rather than word by word)
    "The food was VERY good, but the service was NOT great. " * 40,
    "the food was very good, but the service was not great. " * 40 + "GOOD",
    # all words score 0, empty, whitespace only
    "The committee met on Tuesday.", "very very", "", "   ", "?!",
    # phrases: case, whitespace, traps for the lower-cased hint
    "a STATE SPONSOR OF TERRORISM", "peace\u00a0talks failed", "Peace   talks, “existential threat”",
    "\u017ftate sponsor of terrorism", "state \u017fponsor of terrori\u017fm", "strategic partner",
    "\u0130 peace talks", "stated sponsors", "peace-talks", "a state sponsor of terrorisms",
]


def test_fast_paths_exact_on_crafted_text(vader: SentimentIntensityAnalyzer) -> None:
    _assert_fast_paths_exact(CRAFTED, vader)


def test_fast_paths_exact_on_random_text(vader: SentimentIntensityAnalyzer) -> None:
    rng = random.Random(11)
    vocab = ["but", "BUT", "not", "no", "NO", "never", "so", "this", "good", "GOOD", "bad",
             "kind", "of", "very", "VERY", "least", "at", "without", "doubt", "nor", "or",
             "isn't", "ISN'T", "the", "bomb", "kiss", "death", "!", "??", ":)", "💘", "I",
             "U.S.", "great,", '"great', "(good)", "no,", "ok.", "—", "“bad”", "\u212aILL",
             "\u017ftate", "İİ.", "ΟΔΟΣ", "Σ.", "ÉNORME", "state", "sponsor", "terrorism",
             "peace", "talks", "existential", "threat", "to", "die", "for", "hardly",
             "EXTREMELY", "war", "like", "-", "\n", "good!", "ǅ", "ß"]
    texts = []
    for _ in range(1500):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 20))]
        texts.append("".join(w + rng.choice([" ", " ", "", "  "]) for w in words))
    _assert_fast_paths_exact(texts, vader)


def test_unicode_facts_behind_the_fast_paths() -> None:
    # every non-ASCII character that IGNORECASE matches to an ASCII character: its lower() is
    # that character's (harmless) or it is a case trap of the phrase hint
    letters = "".join(chr(c) for c in range(128, 0x110000) if not 0xD800 <= c < 0xE000)
    traps = set()
    for a in string.printable.strip():
        traps |= {c for c in re.findall(re.escape(a), letters, re.IGNORECASE)
                  if c.lower() != a.lower()}
    assert traps == set(_CASE_TRAPS)
    odd_lower, to_ascii, to_nt = set(), set(), set()
    for c in letters:
        low = c.lower()
        if len(low) != 1:
            odd_lower.add(c)
        if low.isascii():
            to_ascii.add(c)
        if any(x in low for x in "n't"):
            to_nt.add(c)
    # lower() of a text is lower() of each word but for these (and capital sigma, whose
    # lower-case form depends on its neighbours)
    assert odd_lower | {"\u03a3"} == set(_LOWER_TRAPS)
    assert to_ascii == {"\u212a"} and to_nt == set()  # the Kelvin sign; "n't" is ASCII only
    assert not any(c.isupper() or c.islower() for c in string.punctuation)
