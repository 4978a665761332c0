"""Charts: return Axes, handle empty/odd input, save deterministic PNG + SVG."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402

from analysis import charts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture()
def speakers() -> pd.DataFrame:
    return pd.DataFrame({
        "speaker": ["Ana Diplomat", "Ben Scholar", "an official", "narrator"],
        "affiliation": ["Ruritania", None, None, None],
        "role": ["ambassador", "scholar", "official", "outlet"],
        "n_quotes": [6, 3, 1, 0], "n_words": [150, 80, 20, 900],
        "mean_compound": [-0.2, 0.05, 0.4, -0.1], "sd_compound": [0.3, 0.2, None, 0.25],
        "ci_low": [-0.4, -0.1, 0.4, -0.18], "ci_high": [0.0, 0.2, 0.4, -0.03],
        "small_n": [False, False, True, False],
    })


@pytest.fixture()
def stance() -> pd.DataFrame:
    return pd.DataFrame({
        "speaker": ["Ana Diplomat", "Ana Diplomat", "Ben Scholar", "narrator"],
        "actor": ["Ruritania", "Freedonia", "Freedonia", "Ruritania"],
        "score": [0.5, -0.4, -0.7, 0.0], "label": ["favor", "against", "against", "neutral"],
        "n_evidence": [3, 1, 2, 9], "evidence": [[], [], [], []],
    })


@pytest.fixture()
def mentions() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": "d", "actor": ["Ruritania", "Freedonia", "Ruritania", "Freedonia", "Ruritania"],
        "start": [0, 10, 20, 30, 40], "end": [5, 15, 25, 35, 45], "text": "x",
        "sent_id": [0, 1, 2, 3, 4],
        "voice": ["narrator", "narrator", "Ana Diplomat", "Ben Scholar", "narrator"],
    })


@pytest.fixture()
def framing() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": "d", "frame": ["vacuum", "vacuum", "label"], "term": ["void", "void", "rogue"],
        "start": [10, 80, 40], "end": [14, 84, 45], "text": ["void", "void", "rogue"],
        "sent_id": [0, 3, 1], "voice": ["narrator", "Ana Diplomat", "narrator"],
    })


@pytest.fixture()
def documents() -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["d"], "text": ["x" * 100], "n_words": [20]})


@pytest.fixture()
def sentences() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": "d", "sent_id": range(8), "paragraph": [0, 0, 1, 1, 2, 2, 3, 3],
        "start": range(0, 80, 10), "end": range(9, 89, 10), "text": "s", "kind": "body",
        "voice": ["narrator", "narrator", "Ana Diplomat", "Ana Diplomat", "narrator",
                  "Ben Scholar", "narrator", "narrator"],
        "compound": [0.1, -0.3, -0.5, 0.0, 0.2, -0.7, 0.4, 0.0],
    })


def test_each_chart_returns_axes(speakers, stance, mentions, framing, documents, sentences):
    pal = charts.voice_palette(sentences)
    results = [
        charts.speaker_sentiment(speakers, palette=pal),
        charts.stance_heatmap(stance),
        charts.mentions_by_voice(mentions, palette=pal),
        charts.framing_by_voice(framing, palette=pal),
        charts.dispersion_barcode(framing, documents),
        charts.sentiment_arc(sentences, palette=pal),
    ]
    for ax in results:
        assert isinstance(ax, Axes)
        assert ax.get_title(loc="left")  # plain-language title on every chart
    assert results[0].get_xlabel().startswith("mean sentiment")


def test_charts_draw_into_given_axes(speakers):
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert charts.speaker_sentiment(speakers, ax=ax) is ax


def test_small_n_speakers_are_hollow(speakers):
    ax = charts.speaker_sentiment(speakers)
    faces = [tuple(c.get_facecolor()[0]) for c in ax.collections if len(c.get_offsets())]
    assert (1.0, 1.0, 1.0, 1.0) in faces  # the n=1 speaker: white face


def test_heatmap_annotates_counts_and_centres_on_zero(stance):
    ax = charts.stance_heatmap(stance)
    texts = [t.get_text() for t in ax.texts]
    assert any("n=3" in t for t in texts)
    mesh = ax.collections[0]
    assert mesh.norm.vmin == -1 and mesh.norm.vmax == 1


def test_empty_tables_give_a_message_not_an_error(documents):
    empty_m = pd.DataFrame(columns=["actor", "voice"])
    empty_f = pd.DataFrame(columns=["term", "voice", "start", "doc_id", "frame"])
    for ax in (charts.mentions_by_voice(empty_m), charts.framing_by_voice(empty_f),
               charts.dispersion_barcode(empty_f, documents),
               charts.stance_heatmap(pd.DataFrame(columns=["speaker", "actor", "score"])),
               charts.speaker_sentiment(pd.DataFrame(columns=["speaker", "mean_compound"])),
               charts.sentiment_arc(pd.DataFrame(columns=["sent_id", "compound", "voice"]))):
        assert isinstance(ax, Axes)
        assert ax.texts


def test_missing_column_names_the_parameter(mentions):
    with pytest.raises(ValueError, match="mentions has no column"):
        charts.mentions_by_voice(mentions.drop(columns="voice"))
    with pytest.raises(TypeError, match="speakers must be a pandas DataFrame"):
        charts.speaker_sentiment([1, 2])


def test_voice_palette_is_stable_and_narrator_grey(sentences):
    pal = charts.voice_palette(sentences)
    assert pal["narrator"] == charts.NARRATOR_COLOUR
    assert pal == charts.voice_palette(sentences.iloc[::-1])
    assert len(set(pal.values())) == len(pal)


def test_save_figure_is_deterministic(tmp_path, speakers, sentences):
    outputs = []
    for run in ("a", "b"):
        ax = charts.sentiment_arc(sentences)
        paths = charts.save_figure(ax, "arc", figures_dir=tmp_path / run)
        assert [p.name for p in paths] == ["arc.png", "arc.svg"]
        outputs.append([p.read_bytes() for p in paths])
    assert outputs[0][1] == outputs[1][1]  # SVG byte-identical
    assert outputs[0][0] == outputs[1][0]  # PNG too
    svg = outputs[0][1].decode()
    assert "<dc:date>" not in svg


def test_save_figure_sanitises_the_name(tmp_path, speakers):
    ax = charts.speaker_sentiment(speakers)
    paths = charts.save_figure(ax.figure, "../../evil name", figures_dir=tmp_path / "f",
                               formats=("svg",))
    assert paths[0].parent == tmp_path / "f"
    assert paths[0].name == "evil_name.svg"
    with pytest.raises(ValueError, match="formats"):
        charts.save_figure(ax, "x", figures_dir=tmp_path, formats=("gif",))


def test_import_analysis_stays_light():
    code = ("import sys, analysis, analysis.charts, analysis.explore; "
            "bad = [m for m in ('seaborn', 'matplotlib', 'nbconvert', 'papermill') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_charts_on_the_bundled_article(seed_analysis, tmp_path):
    r = seed_analysis
    pal = charts.voice_palette(r)
    axes = {
        "speakers": charts.speaker_sentiment(r.by_speaker(include_narrator=True), palette=pal),
        "stance": charts.stance_heatmap(r.stance()),
        "mentions": charts.mentions_by_voice(r.mentions, palette=pal),
        "framing": charts.framing_by_voice(r.framing, palette=pal),
        "dispersion": charts.dispersion_barcode(r.framing, r.documents),
        "arc": charts.sentiment_arc(r.sentences, palette=pal),
    }
    for name, ax in axes.items():
        paths = charts.save_figure(ax, name, figures_dir=tmp_path)
        assert all(p.stat().st_size > 5000 for p in paths)
