"""The whole pipeline runs with the network switched off and without NLTK data."""

import socket

import pytest


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkUsed("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    import nltk

    monkeypatch.setattr(nltk, "download", refuse)
    # no NLTK data either: an empty search path proves nothing is loaded from it
    monkeypatch.setattr(nltk.data, "path", [])


def test_sockets_are_really_disabled(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))


def test_pipeline_runs_offline(no_network, seed_path, tmp_path):
    from analysis.cli import main
    from analysis.pipeline import Settings, _resources, analyze

    _resources.cache_clear()  # compile every lexicon again, under the fixture
    result = analyze(seed_path, settings=Settings(lexicon="news"))
    assert len(result.sentences) > 30 and len(result.quotes) > 5
    assert main(["analyze", str(seed_path), "--format", "json", "--jobs", "1",
                 "--out", str(tmp_path)]) == 0
    assert (tmp_path / "analysis.json").exists()
