"""Tests of analysis.sentiment (exactness against VADER, news settings, targets, explain)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.lexicons import LexiconError
from analysis.sentiment import (
    SentimentScorer,
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
