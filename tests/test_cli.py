import json
import subprocess
import sys

import pytest

from analysis.cli import main


def test_json_contract_shape(seed_path, capsys):
    assert main(["analyze", str(seed_path), "--format", "json", "--jobs", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "discourse-analysis/1"
    assert set(data) == {"schema", "documents", "segments", "sentences", "quotes", "mentions",
                         "framing", "speakers", "actors", "stance", "errors"}
    doc = data["documents"][0]
    for key in ("doc_id", "source", "title", "encoding", "text", "n_words", "warnings"):
        assert key in doc
    text = doc["text"]
    for key in ("sentences", "quotes", "mentions", "framing"):
        for rec in data[key]:
            assert text[rec["start"]:rec["end"]] == rec["text"], (key, rec)
    for q in data["quotes"]:
        for key in ("speaker_start", "speaker_end", "cue_start", "cue_end"):
            # offsets are JSON integers or null, never floats (consumers test isinstance int)
            assert q[key] is None or type(q[key]) is int, (key, q[key])
        if q["speaker_start"] is not None:
            assert 0 <= q["speaker_start"] < q["speaker_end"] <= len(text)
    for key, fields in {"quotes": ["quote_id", "kind", "speaker", "cue", "affiliation",
                                   "compound"],
                        "speakers": ["speaker", "affiliation", "role", "n_quotes", "n_words",
                                     "mean_compound"],
                        "stance": ["speaker", "actor", "score", "label", "n_evidence",
                                   "evidence"]}.items():
        assert data[key] and all(f in data[key][0] for f in fields), key


def test_seed_segments_tile_text_and_abbreviations(seed_analysis):
    text = seed_analysis.text
    segs = seed_analysis.segments.sort_values("start")
    covered = [0] * len(text)
    for s, e in zip(segs["start"], segs["end"], strict=True):
        for i in range(s, e):
            covered[i] += 1
    assert set(covered) == {1}
    sents = list(seed_analysis.sentences["text"])
    assert not any(s.endswith(("U.S.", "Gen.")) for s in sents)
    assert not any("Subscribe" in s or "Get The Beast" in s or "additional reporting" in s
                   for s in sents)


def test_table_format_is_readable(seed_path, capsys):
    assert main(["analyze", str(seed_path), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "Who is quoted" in out and "Framing terms by voice" in out


def test_out_dir_writes_csv_and_json(seed_path, tmp_path, capsys):
    assert main(["analyze", str(seed_path), "--jobs", "1", "--out", str(tmp_path / "o"),
                 "--format", "json"]) == 0
    names = {p.name for p in (tmp_path / "o").iterdir()}
    assert {"analysis.json", "quotes.csv", "sentences.csv", "stance.csv"} <= names


@pytest.mark.parametrize("argv, code, message", [
    (["analyze", "no/such/file.txt"], 2, "no/such/file.txt: no such file or folder"),
    (["analyze", "--jobs", "0", "README.md"], 2, "--jobs 0"),
    (["analyze", "README.md", "--actors", "missing.yaml"], 2, "missing.yaml: file not found"),
    (["frobnicate"], 2, "invalid choice"),
    ([], 2, ""),
])
def test_exit_codes_and_one_line_errors(argv, code, message, capsys):
    assert main(argv) == code
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_partial_failure_exit_3(tmp_path, capsys):
    (tmp_path / "good.txt").write_text("The minister said the talks failed.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert main(["analyze", str(tmp_path), "--format", "json", "--jobs", "1"]) == 3
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert [d["doc_id"] for d in data["documents"]] == ["good"]
    assert data["errors"][0]["source"].endswith("bad.txt")
    assert "bad.txt: binary file" in captured.err


def test_stdin_and_console_script(seed_text):
    proc = subprocess.run([sys.executable, "-m", "analysis.cli", "analyze", "-", "--format",
                           "json", "--jobs", "1"], input=seed_text.encode(), capture_output=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["documents"][0]["source"] == "<stdin>"


def test_import_is_light():
    code = ("import sys, analysis; heavy = [m for m in ('seaborn', 'matplotlib', 'pandas', "
            "'nltk', 'jupyter_client', 'papermill', 'nbconvert') if m in sys.modules]; "
            "print(','.join(heavy))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.strip() == ""
