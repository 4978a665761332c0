import pytest

from analysis.lexicons import LexiconError, lexicon_versions, read_entries

SCHEMA = dict(key="entries", required={"term": str}, optional={"aliases": list})


def _write(tmp_path, body):
    p = tmp_path / "words.yaml"
    p.write_text(body, encoding="utf-8")
    return p


def test_entries_keep_file_and_line(tmp_path):
    p = _write(tmp_path, "version: 1\nentries:\n  - term: a\n  - b\n  - {term: c, aliases: [x]}\n")
    entries = read_entries(p, **SCHEMA)
    assert [(e["term"], e.line) for e in entries] == [("a", 3), ("b", 4), ("c", 5)]


@pytest.mark.parametrize("body, message", [
    ("version: 1\nentries:\n  - {term: a, aliases: x}\n", r"words.yaml:3: .*'aliases' must be a list"),
    ("version: 1\nentries:\n  - {term: a}\n  - {alias: b}\n", r"words.yaml:4: .*lacks 'term'"),
    ("version: 1\nentries:\n  - {term: a, colour: red}\n", r"words.yaml:3: .*unknown field 'colour'"),
    ("entries:\n  - a\n", r"words.yaml:1: 'version' must be an integer"),
    ("version: 1\nentries: [a, b\n", r"words.yaml:\d+: invalid YAML"),
    ("version: 1\n", r"missing list 'entries'"),
    ("- a\n", r"must be a mapping"),
])
def test_schema_errors_name_file_line_and_fix(tmp_path, body, message):
    p = _write(tmp_path, body)
    with pytest.raises(LexiconError, match=message) as info:
        read_entries(p, **SCHEMA)
    assert "Fix:" in str(info.value) or "invalid YAML" in str(info.value)


def test_yaml_tags_that_build_objects_are_refused(tmp_path):
    p = _write(tmp_path, "version: 1\nentries:\n  - !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(LexiconError):
        read_entries(p, **SCHEMA)


def test_missing_file_is_a_lexicon_error(tmp_path):
    with pytest.raises(LexiconError, match="file not found"):
        read_entries(tmp_path / "nope.yaml", **SCHEMA)


def test_packaged_files_have_versions():
    versions = lexicon_versions()
    assert "abbreviations.yaml" in versions and versions["abbreviations.yaml"].startswith("v1 ")
