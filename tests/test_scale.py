"""Corpus runs: engines give identical output, --out streams the same tables, progress bar."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main

ARTICLES = {
    "a-talks.txt": (
        "Talks collapse in Geneva\n\n"
        "The talks between Iran and the United States collapsed on Monday, officials said.\n\n"
        "“We will not accept these terrible demands,” the Iranian foreign minister said. "
        "“Washington has lied to us again.”\n\n"
        "A State Department spokesman said the United States remained committed to a peaceful "
        "solution and praised the patience of its allies."
    ),
    "b-aid.txt": (
        "Iran offers Iraq help\n\n"
        "Iran has offered Iraq everything it needs to fight ISIS, according to a statement.\n\n"
        "“We are ready to help our brothers in Iraq,” said President Hassan Rouhani. "
        "Critics said the offer was a desperate attempt to gain influence.\n\n"
        "Prime Minister Haider al-Abadi welcomed the support, calling it “generous”."
    ),
    "c-senate.md": (
        "# Senate vote delayed\n\n"
        "The Senate delayed a vote on the bill after Democrats objected.\n\n"
        "“This is a disgrace and a betrayal of working families,” Senator Elizabeth Warren "
        "told reporters. Republicans said the delay was a political stunt.\n\n"
        "Mitch McConnell said he was confident the bill would pass next week."
    ),
    "d-market.txt": (
        "Markets rally on jobs data\n\n"
        "Stocks rose sharply on Friday after strong jobs figures, analysts said.\n\n"
        "“It is a wonderful result for the economy,” said Janet Yellen, adding that growth "
        "remained solid. Some traders warned of a bubble."
    ),
    "e-crlf.txt": (
        "Protest in the capital\r\n\r\n"
        "Thousands protested against the government on Saturday.\r\n\r\n"
        "“We are tired of corruption,” one protester said. Police said the march was "
        "peaceful.\r\n"
    ),
    "f-short.txt": "No quotes here. Just a short, neutral sentence about the weather.",
}
BAD = b"\x89PNG\r\n\x1a\n" + bytes(300)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name, text in ARTICLES.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    (folder / "zz-broken.txt").write_bytes(BAD)
    return folder


@pytest.fixture(scope="module")
def corpus_jsonl(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("jsonl") / "news.jsonl"
    lines = [json.dumps({"id": f"r{i}", "title": name, "outlet": "wire" if i % 2 else None,
                         "text": text}, ensure_ascii=False)
             for i, (name, text) in enumerate(ARTICLES.items())]
    lines.insert(3, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _json(argv: list[str], capsys) -> tuple[int, dict]:
    code = main(["analyze", *argv, "--format", "json", "--quiet"])
    out = capsys.readouterr().out
    return code, json.loads(out)


@pytest.fixture(scope="module")
def reference(corpus_dir, corpus_jsonl):
    """``--jobs 1`` output of both corpora (the engine every other one must match)."""
    from analysis.pipeline import analyze_corpus

    return {src: json.loads(analyze_corpus(src, jobs=1).to_json())
            for src in (corpus_dir, corpus_jsonl)}


def _assert_same(a: dict, b: dict) -> None:
    assert set(a) == set(b)
    for key in a:
        assert a[key] == b[key], key


def test_reference_corpus_is_meaningful(reference, corpus_dir, corpus_jsonl):
    folder = reference[corpus_dir]
    assert len(folder["documents"]) == 6
    assert [e["source"] for e in folder["errors"]] == [str(corpus_dir / "zz-broken.txt")]
    assert folder["quotes"] and folder["speakers"] and folder["sentences"]
    jsonl = reference[corpus_jsonl]
    assert len(jsonl["documents"]) == 6 and len(jsonl["errors"]) == 1
    assert [d["doc_id"] for d in jsonl["documents"]][:2] == ["news:r0", "news:r1"]


@pytest.mark.parametrize("which", ["dir", "jsonl"])
def test_jobs_2_identical_to_jobs_1(which, corpus_dir, corpus_jsonl, reference, capsys):
    src = corpus_dir if which == "dir" else corpus_jsonl
    code, data = _json([str(src), "--jobs", "2"], capsys)
    assert code == 3  # one bad document: partial success
    _assert_same(data, reference[src])


def test_pool_results_in_input_order_with_small_batches(corpus_dir):
    from analysis.load import iter_documents
    from analysis.pipeline import Settings, iter_results
    from analysis.scale import pool_results

    settings = Settings()
    docs = list(iter_documents([corpus_dir]))
    serial = list(iter_results(docs, settings, jobs=1))
    pooled = list(pool_results(docs, settings, jobs=2, batch_size=1))
    assert pooled == serial


def test_worker_resources_are_cached_per_process():
    """A worker compiles the lexicons once; later batches reuse them (lru_cache per process)."""
    from concurrent.futures import ProcessPoolExecutor

    from analysis.pipeline import Settings
    from analysis.scale import warm_up

    settings = Settings()
    with ProcessPoolExecutor(max_workers=1, initializer=warm_up, initargs=(settings,)) as pool:
        first = pool.submit(_resource_ids, settings).result()
        second = pool.submit(_resource_ids, settings).result()
    assert first == second


def _resource_ids(settings) -> tuple[int, int, int]:
    from analysis.pipeline import _resources

    before = _resources.cache_info().misses
    res = _resources(settings)
    assert _resources.cache_info().misses == before  # already compiled by warm_up
    return id(res), id(res.scorer), before


def test_python_api_engines_return_same_tables(corpus_dir, reference):
    import analysis

    result = analysis.analyze_corpus(corpus_dir, jobs=2)
    assert json.loads(result.to_json()) == reference[corpus_dir]
    one = analysis.analyze_corpus(corpus_dir, jobs=1)
    for name, df in one.tables().items():
        pd.testing.assert_frame_equal(df, result.tables()[name], check_exact=True, obj=name)


@pytest.mark.slow
def test_dask_engine_local_cluster_identical(corpus_dir, corpus_jsonl, reference, capsys,
                                            tmp_path):
    """The Dask engine on a 2-worker LocalCluster, with and without streaming --out."""
    pytest.importorskip("distributed")
    code, data = _json([str(corpus_dir), "--engine", "dask", "--jobs", "2"], capsys)
    assert code == 3
    _assert_same(data, reference[corpus_dir])
    code, data = _json([str(corpus_jsonl), "--engine", "dask", "--jobs", "2",
                        "--out", str(tmp_path / "o")], capsys)
    assert code == 3
    _assert_same(data, reference[corpus_jsonl])


def test_dask_engine_existing_scheduler(corpus_jsonl, reference):
    """``scheduler=`` connects to a running cluster (here an in-process one, for speed)."""
    distributed = pytest.importorskip("distributed")
    from analysis.load import iter_documents
    from analysis.pipeline import Settings
    from analysis.result import Analysis
    from analysis.scale import dask_results

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        results = dask_results(iter_documents([corpus_jsonl]), Settings(),
                               scheduler=cluster.scheduler_address, batch_size=3)
        data = json.loads(Analysis.from_results(results).to_json())
    _assert_same(data, reference[corpus_jsonl])


@pytest.mark.parametrize("which", ["dir", "jsonl"])
def test_streaming_out_writes_same_tables(which, corpus_dir, corpus_jsonl, tmp_path, capsys):
    from analysis.pipeline import analyze_corpus

    src = corpus_dir if which == "dir" else corpus_jsonl
    analyze_corpus(src, jobs=1).save(tmp_path / "memory")
    code, data = _json([str(src), "--jobs", "1", "--out", str(tmp_path / "stream")], capsys)
    assert code == 3
    mem = {p.name for p in (tmp_path / "memory").iterdir()}
    streamed = {p.name for p in (tmp_path / "stream").iterdir()}
    assert mem == streamed  # no spill files left behind
    for name in sorted(mem - {"analysis.json"}):
        a = pd.read_csv(tmp_path / "memory" / name)
        b = pd.read_csv(tmp_path / "stream" / name)
        pd.testing.assert_frame_equal(a, b, obj=name)
    on_disk = json.loads((tmp_path / "stream" / "analysis.json").read_text(encoding="utf-8"))
    in_memory = json.loads((tmp_path / "memory" / "analysis.json").read_text(encoding="utf-8"))
    _assert_same(on_disk, in_memory)
    _assert_same(data, in_memory)  # --format json with --out prints the streamed file


def test_streaming_table_summary_and_errors(corpus_dir, tmp_path, capsys):
    assert main(["analyze", str(corpus_dir), "--jobs", "1", "--quiet",
                 "--out", str(tmp_path / "o")]) == 3
    captured = capsys.readouterr()
    assert "<Analysis: 6 document(s)" in captured.out
    assert "Who is quoted" in captured.out and "Framing terms by voice" in captured.out
    assert "zz-broken.txt" in captured.err and "Traceback" not in captured.err
    errors = pd.read_csv(tmp_path / "o" / "errors.csv")
    assert list(errors.columns) == ["source", "error"] and len(errors) == 1


def test_stream_writer_late_columns_and_empty_tables(tmp_path):
    """A column that first appears in a later document still ends up in the right place."""
    from analysis.stream import StreamWriter

    base = {"doc_id": "a", "source": "a", "title": None, "encoding": "utf-8", "text": "x",
            "n_words": 1, "warnings": []}
    with StreamWriter(tmp_path) as writer:
        writer.add({"document": dict(base)})
        writer.add({"document": {**base, "doc_id": "b", "outlet": "wire"}})
    docs = pd.read_csv(tmp_path / "documents.csv")
    assert list(docs.columns)[-1] == "outlet" and docs["outlet"].tolist()[1] == "wire"
    data = json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))
    assert data["documents"][0]["outlet"] is None and data["quotes"] == []
    assert list(pd.read_csv(tmp_path / "quotes.csv").columns)[:3] == ["doc_id", "quote_id",
                                                                      "kind"]
    assert not any(p.name.startswith(".spill") for p in tmp_path.iterdir())


class _FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("quiet, tty, shown", [(False, True, True), (True, True, False),
                                               (False, False, False)])
def test_progress_bar_only_on_a_terminal(quiet, tty, shown, corpus_dir, monkeypatch, capsys):
    err = _FakeTTY() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    argv = ["analyze", str(corpus_dir), "--jobs", "1", "--format", "json"]
    assert main(argv + (["--quiet"] if quiet else [])) == 3
    progress = "analysing" in err.getvalue() or "doc/s" in err.getvalue()
    assert progress is shown
    assert "zz-broken.txt" in err.getvalue()  # errors are reported either way
    json.loads(capsys.readouterr().out)  # stdout stays pure JSON


def test_generator_of_documents_streams_through(corpus_dir, tmp_path):
    """A generator of Documents (e.g. a database cursor) is consumed lazily, not listed."""
    import analysis
    from analysis.load import Document, iter_documents
    from analysis.stream import write_corpus

    docs = [d for d in iter_documents([corpus_dir]) if isinstance(d, Document)]
    pulled = []

    def gen():
        for d in docs:
            pulled.append(d.doc_id)
            yield d

    from_list = analysis.analyze_corpus(docs, jobs=1)
    from_gen = analysis.analyze_corpus(gen(), jobs=1)
    assert json.loads(from_gen.to_json()) == json.loads(from_list.to_json())
    assert pulled == [d.doc_id for d in docs]
    summary = write_corpus(gen(), tmp_path / "o", jobs=1)
    assert summary.n["documents"] == len(docs) and summary.n["errors"] == 0
    pd.testing.assert_frame_equal(summary.speakers, from_list.by_speaker())
    pd.testing.assert_frame_equal(summary.actors, from_list.by_actor())


def test_stream_writer_views_match_analysis(tmp_path):
    """The streamed speaker and stance views equal Analysis.by_speaker() and stance()."""
    from analysis.result import Analysis
    from analysis.stream import StreamWriter

    nan = float("nan")
    quotes = [  # ties in affiliation, missing tones, one-quote speakers, scare quotes
        {"doc_id": "a", "kind": "direct", "speaker": s, "affiliation": aff, "role": role,
         "n_words": n, "compound": c, "text": "x"}
        for s, aff, role, n, c in [
            ("Kim", "UN", None, 3, 0.1), ("Kim", "EU", "envoy", 2, nan),
            ("Kim", None, "envoy", 4, -0.35), ("Lee", None, None, 1, None),
            ("Ann", "EU", "minister", 5, 0.2), ("Bob", "X", None, 1, 0.123456),
            ("Bob", "X", None, 1, 0.3), ("Bob", "Y", None, 7, -0.9), ("Bob", "Y", None, 1, 0.05),
            ("Ann", "EU", "minister", 2, 0.7)]] + [
        {"doc_id": "a", "kind": "scare", "speaker": "Kim", "n_words": 1, "compound": 0.5}]
    stance = [{"doc_id": d, "speaker": s, "actor": a, "score": sc, "label": "x",
               "n_evidence": n, "evidence": [{"sent_id": i, "score": sc}] if i else None}
              for i, (d, s, a, sc, n) in enumerate([
                  ("a", "Kim", "Iran", 0.1, 2), ("b", "Kim", "Iran", -0.3, 1),
                  ("c", "Kim", "Iran", 0.7, 3), ("a", "Ann", "Iran", nan, 1),
                  ("b", "Ann", "Iran", 0.2, 1), ("a", "Ann", "EU", -0.04, 1)])]
    writer = StreamWriter(tmp_path)
    writer.add({"document": {"doc_id": "a"}, "quotes": quotes, "stance_evidence": stance})
    views = writer._views()
    writer.abort()
    full = Analysis.from_results([{"document": {"doc_id": "a"}, "quotes": quotes,
                                   "stance_evidence": stance}])
    pd.testing.assert_frame_equal(views["speakers"], full.by_speaker())
    pd.testing.assert_frame_equal(views["stance"], full.stance())


def test_stream_writer_nan_values_in_json_and_csv(tmp_path):
    """NaN/inf become null in analysis.json, NaN a blank CSV cell; the word NaN stays."""
    from analysis.stream import StreamWriter

    nan, inf = float("nan"), float("inf")
    with StreamWriter(tmp_path) as writer:
        writer.add({"document": {"doc_id": "a", "text": "NaN Infinity", "n_words": 2,
                                 "warnings": [nan, inf, "x"]},
                    "sentences": [{"doc_id": "a", "sent_id": 0, "compound": nan, "pos": inf},
                                  {"doc_id": "a", "sent_id": 1, "compound": 0.5}]})
        writer.add({"document": {"doc_id": "b", "n_words": 1, "outlet": "wire"},
                    "sentences": [{"doc_id": "b", "sent_id": 0, "compound": -inf,
                                   "extra": {"k": nan}}]})
    data = json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))
    assert data["documents"][0]["text"] == "NaN Infinity"
    assert data["documents"][0]["warnings"] == [None, None, "x"]
    assert data["documents"][1]["outlet"] == "wire" and data["documents"][0]["outlet"] is None
    assert [s["compound"] for s in data["sentences"]] == [None, 0.5, None]
    assert data["sentences"][0]["pos"] is None and data["sentences"][2]["extra"] == {"k": None}
    lines = (tmp_path / "sentences.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert list(data["sentences"][0]) == header and "extra" in header
    assert lines[1].split(",")[header.index("compound")] == ""
    assert lines[1].split(",")[header.index("pos")] == "inf"
    assert lines[3].split(",")[header.index("compound")] == "-inf"
