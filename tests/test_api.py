"""The small public API that users and outside evaluations rely on: names and shapes."""

import inspect

import pandas as pd
import pytest

import analysis


def test_public_names_resolve():
    assert set(analysis.__all__) - {"__version__"} == set(analysis._EXPORTS)
    for name in analysis.__all__:
        assert getattr(analysis, name) is not None


def test_analyze_text_and_views():
    text = ('Iran Makes an Offer\n\nIran offered Iraq help, officials said. '
            '“We welcome it,” said Ali Hassan, Iraq’s trade minister. '
            '“It is a fair offer.”\n\nThe United States called Iran a threat.\n')
    result = analysis.analyze(text=text)
    assert isinstance(result, analysis.Analysis)
    assert result.text == text
    assert {"direct", "indirect"} <= set(result.quotes["kind"])
    speakers = result.by_speaker()
    assert "Ali Hassan" in set(speakers["speaker"])
    assert {"speaker", "n_quotes", "mean_compound", "ci_low", "ci_high", "small_n"} <= set(speakers)
    assert {"Iran", "Iraq", "United States"} <= set(result.by_actor()["actor"])
    assert list(result.stance().columns[:6]) == ["speaker", "actor", "score", "label",
                                                 "n_evidence", "evidence"]
    # a plain string that is not a path is analysed as text, a path-like string is a path
    assert len(analysis.analyze(text).documents) == 1
    with pytest.raises(analysis.LoadError):
        analysis.analyze("missing-article.txt")


def test_scoring_functions_shapes():
    df = analysis.score_sentences(["A wonderful day.", "A terrible war.", ""])
    assert list(df.columns[:4]) == ["compound", "pos", "neu", "neg"] and len(df) == 3
    assert df["compound"].iloc[0] > 0 > df["compound"].iloc[1]
    text = "Critics slammed Smith, but Jones praised the plan."
    targets = analysis.score_targets(text, [(16, 21), (27, 32)])
    assert list(targets.columns[:4]) == ["start", "end", "score", "label"]
    assert set(targets["label"]) <= {"negative", "neutral", "positive"}
    ex = analysis.explain("The plan is NOT good!")
    assert isinstance(ex, pd.DataFrame) and "compound" in ex.attrs


def test_keyword_only_options():
    for fn in (analysis.score_sentences, analysis.score_targets, analysis.explain, analysis.kwic):
        params = inspect.signature(fn).parameters.values()
        optional = [p for p in params if p.default is not inspect.Parameter.empty]
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in optional), fn.__name__


def test_kwic_on_analysis(seed_analysis):
    rows = analysis.kwic(seed_analysis, "void", width=30)
    assert {"left", "match", "right", "doc_id", "sentence", "voice", "start", "end"} <= set(rows)
    assert len(rows) == 4
    html = analysis.kwic_html(rows)
    assert "<mark" in html


def test_institutional_speaker_gets_its_actor_as_affiliation():
    text = ("Sanctions Widen\n\nThe Treasury Department said that the new sanctions target "
            "three banks in the region.\n")
    quotes = analysis.analyze(text=text).quotes
    row = quotes[quotes["kind"] == "indirect"].iloc[0]
    assert "Treasury Department" in row["speaker"]
    assert row["affiliation"] == "United States"


def test_sources_mixing_documents_load_failures_and_paths_keep_their_order(tmp_path):
    from analysis.load import Document, LoadFailure

    path = tmp_path / "b.txt"
    path.write_text("Officials said the talks had failed.", encoding="utf-8")
    doc = Document.from_text("The minister said Iran was desperate.")
    bad = LoadFailure(source="broken.txt", error="broken.txt: binary file, not text (skipped)")
    result = analysis.analyze_corpus([doc, str(path), bad], jobs=1)
    assert result.documents["source"].tolist()[1] == str(path)
    assert len(result.documents) == 2 and result.errors["source"].tolist() == ["broken.txt"]
    only_objects = analysis.analyze_corpus([doc, bad], jobs=1)
    assert len(only_objects.documents) == 1 and len(only_objects.errors) == 1
