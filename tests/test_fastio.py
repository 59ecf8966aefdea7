"""The Oxigraph fast path writes the same graph as rdflib, with zh-Hant tags intact."""

from __future__ import annotations

import json

import pyoxigraph as ox

from kg.build.fastio import load_store, serialize_large
from kg.explore.graphview import to_networkx
from kg.build.writers import write_graph


def triples(data: bytes) -> set:
    store = ox.Store()
    store.load(data, ox.RdfFormat.N_TRIPLES)
    return {(q.subject, q.predicate, q.object) for q in store}


def test_large_path_writes_the_same_triples_as_rdflib(build_result, built_out):
    outputs = serialize_large(build_result.dataset)
    assert triples(outputs["kg.nt"]) == triples((built_out / "kg.nt").read_bytes())
    turtle = ox.Store()
    turtle.load(outputs["kg.ttl"], ox.RdfFormat.TURTLE)
    assert {(q.subject, q.predicate, q.object) for q in turtle} == triples(outputs["kg.nt"])


def test_language_tags_keep_their_case(build_result):
    outputs = serialize_large(build_result.dataset)
    label = '"美國國會圖書館"@zh-Hant'.encode()
    for name in ("kg.nt", "kg.ttl", "kg.trig"):
        assert label in outputs[name], name
        assert b"@zh-hant" not in outputs[name], name
    document = json.loads(outputs["kg.jsonld"])
    assert '"@language":"zh-hant"' not in json.dumps(document, separators=(",", ":"))
    assert '"@language": "zh-Hant"' in json.dumps(document, ensure_ascii=False)


def test_large_path_is_deterministic(build_result, tmp_path):
    first = serialize_large(build_result.dataset)
    (tmp_path / "kg.nq").write_bytes(b"")
    again = serialize_large(build_result.dataset)
    assert first == again


def test_threshold_switches_writers(build_result, built_out, tmp_path):
    def written(folder, **options):
        paths = write_graph(build_result.dataset, tmp_path / folder, **options)
        return {name: path.read_bytes() for name, path in paths.items()}

    small = written("small")
    assert small["kg.nt"] == (built_out / "kg.nt").read_bytes()   # rdflib, as before
    large = written("large", large=10)
    assert triples(large["kg.nt"]) == triples(small["kg.nt"])
    assert large["kg.trig"] != small["kg.trig"]                    # written by Oxigraph


def test_round_trip_and_networkx_view(build_result, tmp_path):
    path = tmp_path / "kg.trig"
    path.write_bytes(serialize_large(build_result.dataset)["kg.trig"])
    store = load_store(path)
    G = to_networkx(store)  # an Oxigraph store: the SPARQL path of the one adapter
    assert G.has_edge("carla-hayden", "library-of-congress")
    assert "kg:heads" in G["carla-hayden"]["library-of-congress"]
    assert G.nodes["library-of-congress"]["label_zh"] == "美國國會圖書館"


def test_a_large_build_gives_the_same_graph_as_a_small_one(monkeypatch, tmp_path, repo,
                                                           report_path, built_out):
    """Above the size limit the build models into Oxigraph (oxrdflib) and streams the files;
    the graph it writes is the one the rdflib path writes."""
    import pyoxigraph as ox

    import kg.build.fastio
    from kg.build.pipeline import build

    monkeypatch.setattr(kg.build.fastio, "LARGE_DATASET", 1000)
    messages = []
    result = build(repo / "data", tmp_path, sources=[report_path],
                   progress=lambda stage, detail: messages.append((stage, detail)))
    assert kg.build.fastio.is_oxigraph_backed(result.dataset)
    assert any(stage == "shacl" and detail.startswith("skipped") for stage, detail in messages)
    assert result.summary["labels_by_language"]["zh-Hant"] > 150

    def triples(path, fmt):
        return {(str(q.subject), str(q.predicate), str(q.object))
                for q in ox.parse(path=str(path), format=fmt)}

    expected = triples(built_out / "kg.nt", ox.RdfFormat.N_TRIPLES)
    for name, fmt in (("kg.nt", ox.RdfFormat.N_TRIPLES), ("kg.ttl", ox.RdfFormat.TURTLE),
                      ("kg.trig", ox.RdfFormat.TRIG), ("kg.jsonld", ox.RdfFormat.JSON_LD)):
        assert triples(tmp_path / name, fmt) == expected, name
    text = (tmp_path / "kg.nt").read_text(encoding="utf-8")
    assert '"美國國會圖書館"@zh-Hant' in text and "@zh-hant" not in text
