"""Evidence sentences of curated statements in the built graph (shared contract 1)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner

from kg.cli import cli
from kg.namespaces import BASE
from kg.text.sentences import display

PREFIXES = """PREFIX kg: <https://w3id.org/nlpi-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
EVIDENCE = PREFIXES + """
SELECT ?st ?status ?start ?end ?exact ?prefix ?suffix ?section WHERE { GRAPH ?g {
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidenceStatus ?status ;
      kg:evidence ?ev .
  ?ev a oa:SpecificResource ; oa:hasSource ?doc ; kg:inSection ?section ;
      oa:hasSelector ?pos , ?quote .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
  FILTER(?s = <%(s)s> && ?p = <%(p)s> && ?o = <%(o)s>)
} }"""


@pytest.fixture(scope="module")
def store(built_out):
    store = ox.Store()
    store.bulk_load(path=str(built_out / "kg.trig"), format=ox.RdfFormat.TRIG)
    return store


KG_NS = "https://w3id.org/nlpi-kg/ontology#"


def evidence(store, s, p, o):
    rows = list(store.query(EVIDENCE % {"s": f"{BASE}id/{s}", "p": p, "o": f"{BASE}id/{o}"}))
    assert len(rows) == 1, (s, p, o, rows)
    row = rows[0]
    return {name: row[name].value for name in
            ("st", "status", "start", "end", "exact", "prefix", "suffix", "section")}


def names(build_result, entity_id):
    entity = build_result.catalog.entities[entity_id]
    return [display(form) for form in entity.surface_forms()]


def test_which_phrase_says_hayden_was_nominated_by_obama(store, report_text, build_result):
    found = evidence(store, "carla-hayden", "https://w3id.org/nlpi-kg/ontology#nominatedBy",
                     "barack-obama")
    start, end = int(found["start"]), int(found["end"])
    assert found["exact"] == report_text[start:end]
    assert found["prefix"] == report_text[max(0, start - 32):start]
    assert found["suffix"] == report_text[end:end + 32]
    assert found["status"] == "sentence"
    assert found["st"] + "/evidence" in [r["ev"].value for r in store.query(
        PREFIXES + f"SELECT ?ev WHERE {{ GRAPH ?g {{ <{found['st']}> kg:evidence ?ev }} }}")]
    sentence = display(found["exact"])
    assert len(sentence) < 200
    assert "Carla Hayden" in sentence
    assert any(form in sentence for form in names(build_result, "barack-obama"))
    assert found["section"].endswith("/s2-1-2")          # 貳.一.(二)


def test_hayden_heads_the_library_of_congress(store, report_text):
    found = evidence(store, "carla-hayden", "https://w3id.org/nlpi-kg/ontology#heads",
                     "library-of-congress")
    sentence = display(found["exact"])
    assert found["status"] == "sentence" and "Hayden" in sentence and "國會圖書館" in sentence
    assert found["exact"] == report_text[int(found["start"]):int(found["end"])]


def test_every_evidence_quote_is_the_text_at_its_offsets(store, report_text):
    rows = list(store.query(PREFIXES + """SELECT ?st ?status ?start ?end ?exact WHERE {
      GRAPH ?g { ?st kg:evidenceStatus ?status .
        OPTIONAL { ?st kg:evidence ?ev . ?ev oa:hasSelector ?pos , ?quote .
                   ?pos oa:start ?start ; oa:end ?end . ?quote oa:exact ?exact } } }"""))
    assert len(rows) > 300
    statuses = {row["status"].value for row in rows}
    assert statuses <= {"sentence", "section", "implied"} and "sentence" in statuses
    with_quote = [row for row in rows if row["exact"] is not None]
    assert len(with_quote) > 0.9 * len(rows)
    for row in with_quote:
        start, end = int(row["start"].value), int(row["end"].value)
        assert row["exact"].value == report_text[start:end], row["st"]
        assert 0 < end - start < 1000


def test_summary_counts_statements_by_evidence_status(build_result):
    counts = build_result.summary["evidence_by_status"]
    assert set(counts) <= {"sentence", "section", "implied", "none"}
    assert "none" not in counts  # every non-implied statement has an evidence sentence
    with_text = set(build_result.located)  # counted for the reports whose text was given
    total = sum(1 for item in build_result.catalog.relations + build_result.catalog.facts
                if item.doc in with_text)
    assert sum(counts.values()) == total
    assert counts["sentence"] >= 60 and counts["implied"] >= 40


def test_figure_statement_cites_its_caption(store, build_result):
    found = evidence(store, "carla-hayden", KG_NS + "ceremonialRoleIn",
                     "nationals-summer-reading-game")
    assert found["status"] == "sentence"  # the caption names her and the first-pitch event
    assert found["section"].endswith("/fig-02")
    assert display(found["exact"]).startswith("圖")


def test_figure_cited_statements_stay_in_the_caption(build_result, report_text):
    from kg.build.evidence import evidence_key

    located = build_result.located["ala-2022-report"]
    cited = [r for r in build_result.catalog.relations if r.section == "fig-02"]
    assert cited
    for relation in cited:
        found = located.evidence[evidence_key(relation)]
        assert found.section == "fig-02" and display(found.exact).startswith("圖")
        assert found.status == ("implied" if relation.implied else "sentence") or \
            found.status == "section"
    start, end = located.spans["fig-02"]
    assert all(start <= located.evidence[evidence_key(r)].start <
               located.evidence[evidence_key(r)].end <= end for r in cited)


def test_fact_evidence_names_the_value(build_result, report_text):
    from kg.build.evidence import evidence_key

    located = build_result.located["ala-2022-report"]
    fact = next(f for f in build_result.catalog.facts if f.property == "kg:inPersonAttendees")
    found = located.evidence[evidence_key(fact)]
    assert found.exact == report_text[found.start:found.end]
    digits = "".join(c for c in found.exact if c.isdigit())
    assert "7738" in digits


def test_statement_without_a_naming_sentence_is_warned(data_copy, report_path, tmp_path):
    relations = data_copy / "reports" / "ala-2022" / "relations.yaml"
    content = yaml.safe_load(relations.read_text(encoding="utf-8"))
    content["relations"].append({"subject": "carla-hayden", "predicate": "kg:nominatedBy",
                                 "object": "barack-obama", "section": "肆.二"})
    relations.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
    runner = CliRunner()
    outcome = runner.invoke(cli, ["validate", "--data", str(data_copy), "--no-shacl",
                                  "--source", str(report_path)], catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.output
    line = [ln for ln in outcome.output.splitlines() if "肆.二 has no sentence naming" in ln]
    assert len(line) == 1 and "'carla-hayden' or 'barack-obama'" in line[0]
    assert "relations.yaml:" in line[0]
    # Without the text, validate cannot know and says nothing about it.
    quiet = runner.invoke(cli, ["validate", "--data", str(data_copy), "--no-shacl"])
    assert "has no sentence naming" not in quiet.output
    out = tmp_path / "out"
    built = runner.invoke(cli, ["build", "--data", str(data_copy), "--out", str(out),
                                "--source", str(report_path), "--no-html", "--no-shacl"])
    assert built.exit_code == 0, built.output
    assert "statements and facts by evidence: " in built.output
    warnings = (out / "warnings.txt").read_text(encoding="utf-8")
    assert "肆.二 has no sentence naming 'carla-hayden' or 'barack-obama'" in warnings
