"""Readings of the ALA 2022 report, corrected against its sentences (issue 15).

Each test asks the built graph what a researcher would ask and checks the answer the report
supports: who a figure is about and who it comes from, who condemned whom, who conversed with
whom, which links are doubtful, former homes, the topic scheme.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.namespaces import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@pytest.fixture(scope="module")
def store(built_out) -> ox.Store:
    store = ox.Store()
    store.load(path=str(built_out / "kg.trig"), format=ox.RdfFormat.TRIG)
    return store


def rows(store, query: str) -> list[dict]:
    result = store.query(PROLOGUE + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    out = []
    for solution in result:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                value = term.value
                row[name] = value.rsplit("/", 1)[-1] if value.startswith(str(PREFIXES["id"])) \
                    else value
        out.append(row)
    return out


def test_unesco_damage_counts_are_about_ukraine_with_unesco_as_source(store):
    found = rows(store, """
        SELECT ?property ?value ?date WHERE {
          ?fact a kg:Fact ; schema:observationAbout id:ukraine ; dcterms:source id:unesco ;
                prov:wasAttributedTo id:unesco ; schema:measuredProperty ?property ;
                schema:value ?value ; schema:observationDate ?date }""")
    by_property = {r["property"].rsplit("#", 1)[-1]: (int(r["value"]), r["date"]) for r in found}
    assert by_property["damagedLibraries"] == (7, "2022-07-04")
    assert by_property["damagedMuseums"] == (12, "2022-07-04")
    assert by_property["damagedEducationalInstitutions"] == (1888, "2022-05-29")
    assert len(by_property) == 8
    assert rows(store, "SELECT ?f WHERE { ?f schema:observationAbout id:unesco }") == []


def test_the_deaf_culture_link_is_listed_by_the_uncertain_statements_query(store, repo):
    from kg.sparql.library import get_query

    query = get_query("uncertain-statements", repo / "queries").text
    result = store.query(query, use_default_graph_as_union=True)
    listed = {(s["about"].value.rsplit("/", 1)[-1], s["value"].value.rsplit("/", 1)[-1],
               s["section"].value) for s in result}
    assert ("philip-lee", "deaf-culture", "貳.一.(三).7") in listed


def test_the_resolution_links_the_ala_council_and_russia(store):
    found = rows(store, """
        SELECT ?body WHERE { id:ala-ukraine-resolution-2022 schema:publisher ?body ;
                                                          kg:condemns id:russia }""")
    assert found == [{"body": "ala-council"}]
    flags = rows(store, """
        SELECT ?who ?implied WHERE { ?st a kg:Statement ; rdf:subject ?who ;
              rdf:predicate kg:condemns ; rdf:object id:russia ; kg:implied ?implied }""")
    assert {r["who"]: r["implied"] for r in flags} == {
        "ala-ukraine-resolution-2022": "false", "ala-council": "false", "ala": "true"}


def test_the_opening_and_closing_sessions_are_conversations(store):
    found = rows(store, """
        SELECT ?a ?b ?session WHERE { ?st a kg:Statement ; rdf:subject ?a ;
              rdf:predicate kg:conversedWith ; rdf:object ?b ; kg:atEvent ?session }
        ORDER BY ?session""")
    assert found == [
        {"a": "luvvie-ajayi-jones", "b": "nicole-a-cooke", "session": "session-closing"},
        {"a": "patty-wong", "b": "jessica-rosenworcel", "session": "session-opening"}]
    assert bool(store.query(PROLOGUE + "ASK { GRAPH ?g { kg:conversedWith a "
                            "owl:SymmetricProperty } }"))


def test_carla_hayden_threw_the_first_pitch_she_did_not_speak_at_the_game(store):
    assert not bool(store.query(PROLOGUE + "ASK { GRAPH ?g { id:carla-hayden schema:performerIn "
                                "id:nationals-summer-reading-game } }"))
    found = rows(store, """
        SELECT ?role WHERE { ?st rdf:subject id:carla-hayden ; rdf:predicate kg:ceremonialRoleIn ;
              rdf:object id:nationals-summer-reading-game ; schema:roleName ?role .
              FILTER(lang(?role) = "en") }""")
    assert found == [{"role": "ceremonial first-pitch guest"}]


def test_michuhol_was_the_first_in_korea_to_introduce_book_drive(store):
    found = rows(store, """
        SELECT ?role WHERE { ?st rdf:subject id:michuhol-library ; rdf:predicate kg:firstToAdopt ;
              rdf:object id:book-drive ; schema:roleName ?role ; prov:wasDerivedFrom/kg:notation
              "貳.二.1" . FILTER(langMatches(lang(?role), "zh-Hant")) }""")
    assert found == [{"role": "韓國第一家引入的公共圖書館"}]


def test_the_reporter_has_an_english_label_marked_as_a_romanisation(store):
    found = rows(store, """
        SELECT ?en ?rom WHERE { id:hung-tun-ming rdfs:label ?en ; kg:romanization ?rom .
                                FILTER(lang(?en) = "en") }""")
    assert found == [{"en": "Hung Tun-ming", "rom": "Hung Tun-ming"}]


def test_report_terms_are_aliases(store):
    alts = {(r["e"], r["alt"]) for r in rows(store, """
        SELECT ?e ?alt WHERE { ?e skos:altLabel ?alt }""")}
    assert ("information-policy", "政策制定") in alts
    assert ("rising-troublemaker", "RISING Troublemaker: A Fear-Fighter Manual for Teens") in alts


def test_youth_services_gather_school_libraries_literature_and_awards(store):
    under = {r["t"] for r in rows(store, """
        SELECT ?t WHERE { ?t skos:broader+ id:youth-services }""")}
    assert {"school-libraries", "childrens-and-young-adult-literature", "childrens-literature",
            "young-adult-literature", "childrens-book-awards", "teen-spaces"} <= under
    awards = {r["t"] for r in rows(store, "SELECT ?t WHERE { ?t skos:broader id:book-awards }")}
    assert "childrens-book-awards" in awards
    examples = {r["lib"] for r in rows(store, """
        SELECT ?lib WHERE { ?lib kg:exampleOf id:school-libraries }""")}
    assert examples == {"great-valley-high-school-library", "vernon-middle-school-library"}


def test_philip_lee_lives_in_san_francisco_and_lived_in_los_angeles(store):
    found = rows(store, """
        SELECT ?place ?former WHERE { ?st rdf:subject id:philip-lee ;
              rdf:predicate schema:homeLocation ; rdf:object ?place ; kg:former ?former }""")
    assert {r["place"]: r["former"] for r in found} == {"san-francisco": "false",
                                                          "los-angeles": "true"}


def test_more_than_figures_are_lower_bounds(store):
    found = {(r["about"], int(r["value"])) for r in rows(store, """
        SELECT ?about ?value WHERE { ?f a kg:Fact ; schema:observationAbout ?about ;
              schema:value ?value ; kg:qualifier "lowerBound" }""")}
    assert {("ala", 57000), ("ala-annual-2022", 550), ("great-valley-library-tiktok", 300000),
            ("rakow-rangers-videos", 2000)} <= found
    exact = {(r["about"], int(r["value"])) for r in rows(store, """
        SELECT ?about ?value WHERE { ?f a kg:Fact ; schema:observationAbout ?about ;
              schema:value ?value FILTER NOT EXISTS { ?f kg:qualifier ?q }
              FILTER(datatype(?value) = xsd:integer) }""")}
    assert ("ala-annual-2022", 7738) in exact


def test_every_non_implied_statement_and_fact_has_an_evidence_sentence(store, build_result):
    missing = rows(store, """
        SELECT ?st WHERE { GRAPH <https://w3id.org/nlpi-kg/graph/ala-2022-report> {
              { ?st a kg:Statement } UNION { ?st a kg:Fact } ?st kg:implied false }
              FILTER NOT EXISTS { ?st kg:evidence ?ev } }""")
    assert missing == []
    assert not [w for w in build_result.warnings if "no evidence sentence" in w.what]
