"""What a researcher checks in the built graph: facts, labels, provenance, mentions."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.namespaces import PREFIXES

HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@pytest.fixture(scope="module")
def store(built_out):
    """The TriG output read by a second parser (pyoxigraph), queried with SPARQL."""
    s = ox.Store()
    s.load(path=str(built_out / "kg.trig"), format=ox.RdfFormat.TRIG)
    return s


def select(store, query):
    result = store.query(HEADER + query, use_default_graph_as_union=True)
    return [{v.value: (row[v].value if row[v] is not None else None) for v in result.variables}
            for row in result]


def test_carla_hayden_heads_the_library_of_congress_citing_the_talks_section(store):
    rows = select(store, """
        SELECT ?notation ?role WHERE {
          id:carla-hayden kg:heads id:library-of-congress .
          ?st rdf:subject id:carla-hayden ; rdf:predicate kg:heads ;
              rdf:object id:library-of-congress ; prov:wasDerivedFrom ?sec .
          ?sec kg:notation ?notation .
          OPTIONAL { ?st schema:roleName ?role FILTER(langMatches(lang(?role), "en")) }
        }""")
    assert [r["notation"] for r in rows] == ["貳.一.(二)"]
    assert rows[0]["role"] and "Librarian of Congress" in rows[0]["role"]


def test_carla_hayden_was_nominated_by_barack_obama_citing_the_talks_section(store):
    rows = select(store, """
        SELECT ?notation ?implied WHERE {
          id:carla-hayden kg:nominatedBy id:barack-obama .
          ?st rdf:subject id:carla-hayden ; rdf:predicate kg:nominatedBy ;
              rdf:object id:barack-obama ; prov:wasDerivedFrom/kg:notation ?notation ;
              kg:implied ?implied .
        }""")
    assert rows == [{"notation": "貳.一.(二)", "implied": "false"}]


def test_ala_has_both_chinese_names_the_report_uses(store):
    rows = select(store, """
        SELECT ?name WHERE {
          { id:ala rdfs:label ?name } UNION { id:ala skos:altLabel ?name }
          FILTER(langMatches(lang(?name), "zh-Hant"))
        }""")
    names = {r["name"] for r in rows}
    assert {"美國圖書館學會", "美國圖書館協會"} <= names


def test_labels_keep_the_zh_hant_tag_in_every_output(built_out):
    for name in ("kg.ttl", "kg.trig", "kg.nt"):
        text = (built_out / name).read_text(encoding="utf-8")
        assert '"美國國會圖書館"@zh-Hant' in text, name
    assert '"@language": "zh-Hant"' in (built_out / "kg.jsonld").read_text(encoding="utf-8") \
        or '"zh-Hant": ' in (built_out / "kg.jsonld").read_text(encoding="utf-8")


def test_conference_had_7738_in_person_attendees_as_xsd_integer(store):
    rows = select(store, """
        SELECT ?value ?unit ?notation WHERE {
          ?fact a kg:Fact ; schema:observationAbout id:ala-annual-2022 ;
                schema:value ?value ; prov:wasDerivedFrom/kg:notation ?notation .
          OPTIONAL { ?fact schema:unitText ?unit }
          FILTER(datatype(?value) = xsd:integer && ?value = 7738)
        }""")
    assert len(rows) == 1
    assert rows[0]["notation"] == "壹"


def test_conference_dates_are_typed_dates(store):
    rows = select(store, """
        SELECT ?start ?end WHERE {
          id:ala-annual-2022 schema:startDate ?start ; schema:endDate ?end .
          FILTER(datatype(?start) = xsd:date && datatype(?end) = xsd:date)
        }""")
    assert rows == [{"start": "2022-06-22", "end": "2022-06-28"}]


def test_relief_donations_carry_their_currency(store):
    rows = select(store, """
        SELECT ?value ?currency WHERE {
          ?fact a kg:Fact ; schema:value ?value ; schema:currency ?currency .
          FILTER(?value = 12000)
        }""")
    assert {"value": "12000", "currency": "USD"} in rows


def test_unesco_counts_carry_their_as_of_dates(store):
    rows = select(store, """
        SELECT ?value ?date WHERE {
          ?fact a kg:Fact ; schema:observationAbout id:ukraine ; dcterms:source id:unesco ;
                schema:value ?value ; schema:observationDate ?date .
        }""")
    pairs = {(r["value"], r["date"]) for r in rows}
    assert ("1888", "2022-05-29") in pairs
    assert ("7", "2022-07-04") in pairs


def test_chetco_mentions_all_lie_in_the_ethnography_session(store, report_text):
    rows = select(store, """
        SELECT ?notation ?start ?end ?exact WHERE {
          ?m oa:hasBody id:chetco-community-public-library ; oa:hasTarget ?t .
          ?t kg:inSection/kg:notation ?notation ; oa:hasSelector ?pos , ?quote .
          ?pos oa:start ?start ; oa:end ?end . ?quote oa:exact ?exact .
        }""")
    assert len(rows) >= 2  # "Chetco 公共圖書館 (CCPL)" and a later "CCPL"
    for row in rows:
        assert row["notation"].startswith("貳.一.(三).2")
        assert report_text[int(row["start"]):int(row["end"])] == row["exact"]


def test_every_mention_quotes_the_text_at_its_offsets(store, report_text):
    rows = select(store, """
        SELECT ?start ?end ?exact WHERE {
          ?t oa:hasSelector ?pos , ?quote .
          ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
          ?quote oa:exact ?exact .
        }""")
    assert len(rows) > 300
    for row in rows:
        assert report_text[int(row["start"]):int(row["end"])] == row["exact"]


def test_sections_are_located_at_their_headings(store, report_text):
    rows = select(store, """
        SELECT ?notation ?start WHERE {
          ?s a kg:Section ; kg:notation ?notation ; oa:hasSelector/oa:start ?start .
        }""")
    starts = {r["notation"]: int(r["start"]) for r in rows}
    assert report_text[starts["貳.一.(二)"]:].startswith("(二)")
    assert report_text[starts["肆.二"]:].startswith("二、")
    assert report_text[starts["貳.二.4"]:].startswith("4.")
    assert len(starts) == 27


def test_every_statement_cites_a_section(store):
    rows = select(store, """
        SELECT (COUNT(?st) AS ?n) WHERE {
          ?st a kg:Statement . FILTER NOT EXISTS { ?st prov:wasDerivedFrom ?sec }
        }""")
    assert rows == [{"n": "0"}]


def test_report_metadata(store, report_path):
    import hashlib

    rows = select(store, """
        SELECT ?sha ?lang ?publisher WHERE {
          ?doc a schema:Report ; kg:sha256 ?sha ; dcterms:language ?lang ;
               dcterms:publisher ?publisher ; dcterms:identifier "ala-2022-report" .
        }""")
    digest = hashlib.sha256(report_path.read_bytes()).hexdigest()
    assert rows == [{"sha": digest, "lang": "zh-Hant",
                     "publisher": PREFIXES["id"] + "nlpi"}]


def test_topics_form_a_skos_hierarchy(store):
    assert store.query(HEADER + """ASK {
        id:climate-justice skos:broader+ id:climate-change .
        id:climate-change skos:narrower id:climate-justice .
        id:climate-change skos:inScheme id:topics .
    }""", use_default_graph_as_union=True)


def test_the_curated_data_is_the_whole_report(build_result):
    summary = build_result.summary
    assert summary["entities"] > 150
    assert summary["statements"] > 250
    assert summary["facts"] >= 45
    assert summary["mentions"] > 300


def test_named_graphs_one_per_report_plus_ontology_and_shared(store, build_result):
    graphs = {g.value for g in store.named_graphs()}
    reports = tuple(build_result.catalog.documents)  # whatever reports data/ holds
    assert "ala-2022-report" in reports
    assert graphs == {PREFIXES["id"].replace("/id/", "/graph/") + name
                      for name in ("ontology", "shared", "dataset") + reports}
    # graph/dataset: the dataset's own description (VoID, DCAT), kg.build.description
