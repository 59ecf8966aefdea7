"""Every query of the library answers its question with facts from the report.

The expected answers are what the report says (Carla Hayden leads the Library of Congress,
7,738 people attended in person, UNESCO counted 7 damaged libraries as of 4 July 2022), run
on pyoxigraph over the real build of data/ with the report text.
"""

from __future__ import annotations

import pyoxigraph
import pytest

from kg.sparql.library import load_library, prepare
from kg.sparql.engine import load_store, run_query, term_text
from kg.sparql.params import Resolvers

XSD = "http://www.w3.org/2001/XMLSchema#"
LIBRARY = load_library()


@pytest.fixture(scope="module")
def store(built_out):
    return load_store(built_out)


@pytest.fixture(scope="module")
def bound(store, built_dataset):
    """name, {param: value} -> the library query's text with its parameters bound."""
    from kg.explore.graphview import to_networkx

    resolvers = Resolvers(store, lambda: to_networkx(built_dataset))

    def text_of(name: str, params: dict | None = None) -> str:
        return prepare(LIBRARY[name], params or {}, resolve_entity=resolvers.entity,
                       resolve_report=resolvers.report)
    return text_of


@pytest.fixture(scope="module")
def ask(store, bound):
    """name -> list of rows (variable -> term) for a library SELECT query (defaults bound)."""
    def run(name: str, **params) -> list[dict]:
        result = run_query(store, bound(name, params))
        return [{v: s[v] for v in result.variables} for s in result.solutions]
    return run


def text(row: dict, var: str) -> str:
    return term_text(row.get(var))


def column(rows: list[dict], var: str) -> list[str]:
    return [text(row, var) for row in rows]


# --- the library itself ----------------------------------------------------------------

def test_library_has_at_least_25_documented_queries():
    assert len(LIBRARY) >= 25
    for query in LIBRARY.values():
        assert query.title and query.question_en and query.question_zh and query.returns, \
            f"{query.path}: header needs title, en, zh-Hant and returns"
        assert any("\u4e00" <= c <= "\u9fff" for c in query.question_zh), query.name


def test_every_library_query_has_an_asserted_answer():
    tested = {name[len("test_q_"):].replace("_", "-") for name in globals()
              if name.startswith("test_q_")}
    assert sorted(set(LIBRARY) - tested) == [], "library queries without a test"


def test_library_queries_declare_their_prefixes_and_run_without_ours():
    """Each file runs as-is in another store (YASGUI, Fuseki): no predeclared prefixes."""
    store = pyoxigraph.Store()
    for query in LIBRARY.values():
        store.query(query.text)  # raises SyntaxError on an undeclared prefix


# --- lookups ---------------------------------------------------------------------------

def test_q_who_leads_library_of_congress(ask):
    rows = ask("who-leads-library-of-congress")
    assert len(rows) == 1
    row = rows[0]
    assert text(row, "person") == "id:carla-hayden"
    assert text(row, "name_en") == "Carla Hayden"
    assert text(row, "role_en") == "Librarian of Congress"
    assert text(row, "role_zh") == "國會圖書館館長"
    assert text(row, "section") == "貳.一.(二)"


def test_q_who_heads_what(ask):
    pairs = {(text(r, "person"), text(r, "organization")) for r in ask("who-heads-what")}
    assert {("id:carla-hayden", "id:library-of-congress"), ("id:patty-wong", "id:ala"),
            ("id:jessica-rosenworcel", "id:fcc"),
            ("id:julie-retherford", "id:chetco-community-public-library")} <= pairs
    roles = {text(r, "person"): text(r, "role") for r in ask("who-heads-what")}
    assert roles["id:patty-wong"] == "ALA President"


def test_q_conference_dates_and_place(ask):
    (row,) = ask("conference-dates-and-place")
    assert (row["start"].value, row["start"].datatype.value) == ("2022-06-22", XSD + "date")
    assert row["end"].value == "2022-06-28"
    assert text(row, "place") == "id:washington-dc"


def test_q_was_hayden_nominated_by_obama(store):
    assert run_query(store, LIBRARY["was-hayden-nominated-by-obama"].text).boolean is True


# --- paths -----------------------------------------------------------------------------

def test_q_speakers_on_social_media(ask):
    rows = ask("speakers-on-social-media")
    assert set(column(rows, "person")) == {"id:carla-hayden", "id:kelsey-bogan"}
    assert ("id:kelsey-bogan", "id:session-tiktok-libraries") in \
        {(text(r, "person"), text(r, "session")) for r in rows}


def test_q_session_speakers(ask):
    by_session = {text(r, "session"): r for r in ask("session-speakers")}
    assert len(by_session) == 11  # 3 plenary sessions and 8 education sessions
    ethnography = by_session["id:session-ethnographic-design"]
    assert int(ethnography["speakers"].value) == 3
    assert set(text(ethnography, "names").split("; ")) == \
        {"David Vinjamuri", "Joe Huberty", "Julie Retherford"}
    assert "Kelsey Bogan" in text(by_session["id:session-tiktok-libraries"], "names")


def test_q_speakers_and_organizations(ask):
    links = {(text(r, "person"), text(r, "link"), text(r, "organization"))
             for r in ask("speakers-and-organizations")}
    assert ("id:david-vinjamuri", "schema:worksFor", "id:new-york-university") in links
    assert ("id:nicole-a-cooke", "schema:affiliation", "id:usc-slis") in links
    assert ("id:kelsey-bogan", "schema:worksFor", "id:great-valley-high-school-library") in links


def test_q_libraries_and_places(ask):
    places = {}
    for row in ask("libraries-and-places"):
        places.setdefault(text(row, "library"), set()).add(text(row, "place"))
    assert {"id:madison-wi", "id:wisconsin", "id:united-states"} <= \
        places["id:madison-public-library"]
    assert {"id:evanston-il", "id:illinois"} <= places["id:evanston-public-library"]


def test_q_ukraine_relief_fund(ask):
    rows = ask("ukraine-relief-fund")
    assert {text(r, "founder") for r in rows} == {"id:ala", "id:ukrainian-library-association"}
    row = rows[0]
    assert text(row, "fund") == "id:ala-ukraine-library-relief-fund"
    assert text(row, "beneficiary") == "id:ukrainian-library-association"
    assert (int(row["amount"].value), text(row, "currency")) == (12000, "USD")


# --- aggregates ------------------------------------------------------------------------

def test_q_topics_per_session(ask):
    counts = {text(r, "session"): int(r["topics"].value) for r in ask("topics-per-session")}
    assert counts["id:session-1000-black-girl-books"] == 8
    assert counts["id:session-closing"] == 2
    assert max(counts, key=counts.get) == "id:session-1000-black-girl-books"
    labels = {text(r, "session"): text(r, "labels") for r in ask("topics-per-session")}
    assert "Misinformation" in labels["id:session-carla-hayden-talk"]


def test_q_attendance_figures(ask):
    figures = {text(r, "property"): r["value"] for r in ask("attendance-figures")}
    assert figures["kg:inPersonAttendees"] == pyoxigraph.Literal(
        "7738", datatype=pyoxigraph.NamedNode(XSD + "integer"))
    assert int(figures["kg:virtualAttendees"].value) == 834
    assert int(figures["kg:registeredAttendees"].value) == 14003
    assert {text(r, "section") for r in ask("attendance-figures")} == {"壹"}


def test_q_most_mentioned_entities(ask, report_text):
    rows = ask("most-mentioned-entities")
    counts = {text(r, "entity"): int(r["mentions"].value) for r in rows}
    assert "id:ala" in counts
    # ALA is the most frequent name in the report: it appears far more often than TikTok
    assert counts["id:ala"] == max(counts.values())
    assert counts["id:ala"] >= report_text.count("ALA") // 2


def test_q_statements_per_section(ask):
    rows = {text(r, "notation"): r for r in ask("statements-per-section",
                                                 report="ala-2022-report")}
    # 貳.一 holds only the reporter's (implied) attendance of the 11 sessions
    assert int(rows["貳.一"]["statements"].value) == 11
    assert int(rows["貳.一"]["implied_count"].value) == 11
    # Carla Hayden's first pitch is known only from the caption of figure 2 (fig-02)
    assert any(notation.endswith("圖2") for notation in rows)


def test_q_entities_by_class(ask):
    counts = {text(r, "class"): int(r["entities"].value) for r in ask("entities-by-class")}
    assert counts["schema:Person"] >= 17  # every person the ALA report names, the author too
    assert counts["skos:Concept"] >= 40
    assert counts["schema:Library"] >= 8


# --- provenance ------------------------------------------------------------------------

def test_q_section_stating_a_statement(ask, report_text):
    (row,) = ask("section-stating-a-statement")
    assert text(row, "notation") == "貳.一.(二)"
    start, end = int(row["start"].value), int(row["end"].value)
    assert "Carla" in report_text[start:end] and "國會圖書館" in report_text[start:end]
    assert text(row, "implied") == "false"


def test_q_implied_statements(ask):
    rows = ask("implied-statements")
    triples = {(text(r, "subject"), text(r, "predicate"), text(r, "object"), text(r, "section"))
               for r in rows}
    assert ("id:ala", "kg:condemns", "id:russia", "貳.一.(三).5") in triples  # the heading only
    assert ("id:e-rate", "schema:organizer", "id:fcc", "貳.一.(一)") in triples
    assert ("id:carla-hayden", "kg:heads", "id:library-of-congress", "貳.一.(二)") \
        not in triples


def test_q_uncertain_statements(ask):
    rows = ask("uncertain-statements")
    found = {(text(r, "kind"), text(r, "about"), text(r, "property")) for r in rows}
    assert ("Statement", "id:chenoweth", "schema:performerIn") in found
    assert ("Statement", "id:philip-lee", "kg:receivedAward") in found
    assert ("Fact", "id:korean-public-libraries", "kg:borrowers") in found
    assert all(text(r, "note") for r in rows), "every uncertain item explains its doubt"


def test_q_mentions_of_entity(ask, report_text):
    rows = ask("mentions-of-entity")
    assert len(rows) >= 2
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        assert report_text[start:end] == row["exact"].value  # offsets point at the name
        assert "Carla" in row["exact"].value
    assert "貳.一.(二)" in column(rows, "section")


def test_q_statements_from_figures(ask):
    rows = ask("statements-from-figures")
    assert ("fig-02", "id:carla-hayden", "id:nationals-summer-reading-game") in \
        {(text(r, "figure"), text(r, "subject"), text(r, "object")) for r in rows}
    assert ("fig-10", "id:readers-to-eaters", "id:philip-lee") in \
        {(text(r, "figure"), text(r, "subject"), text(r, "object")) for r in rows}


def test_q_report_outline(ask, report_text):
    rows = ask("report-outline", report="ala-2022-report")
    notations = column(rows, "notation")
    assert notations[:4] == ["摘要", "壹", "貳", "貳.一"]
    assert "肆.二" in notations and len(rows) == 27
    by_notation = {text(r, "notation"): r for r in rows}
    purpose = by_notation["壹"]
    assert text(purpose, "title_zh") == "目的" and text(purpose, "title_en") == "Purpose"
    start = int(purpose["start"].value)
    assert "目的" in report_text[start:start + 10]


# --- bilingual -------------------------------------------------------------------------

def test_q_labels_both_languages(ask):
    names = {text(r, "entity"): (text(r, "en"), text(r, "zh")) for r in ask("labels-both-languages")}
    assert names["id:library-of-congress"] == ("Library of Congress", "美國國會圖書館")
    assert names["id:nlpi"] == ("National Library of Public Information", "國立公共資訊圖書館")
    assert names["id:ala"][0] == "American Library Association"


def test_q_entities_missing_zh_label(ask):
    missing = set(column(ask("entities-missing-zh-label"), "entity"))
    assert "id:coretta-scott-king-award" in missing  # the report names it in English only
    assert "id:library-of-congress" not in missing
    assert "id:kelsey-bogan" not in missing  # every person has a label in each language


def test_q_entities_missing_en_label(ask):
    rows = ask("entities-missing-en-label")
    # every entity has an English name; the Chinese-only ones would show up here
    assert "id:carla-hayden" not in column(rows, "entity")
    assert all(text(r, "zh") for r in rows)


def test_q_surface_forms(ask):
    rows = ask("surface-forms")
    forms = {(text(r, "form"), text(r, "kind")) for r in rows}
    assert ("American Library Association", "label") in forms
    assert ("ALA", "altLabel") in forms
    assert ("美國圖書館協會", "altLabel") in forms or ("美國圖書館協會", "label") in forms
    # the engine lower-cases language tags: zh-Hant comes back as zh-hant
    assert "zh-hant" in column(rows, "language")


# --- SKOS ------------------------------------------------------------------------------

def test_q_narrower_topics(ask):
    topics = set(column(ask("narrower-topics"), "topic"))
    assert {"id:diversity-equity-inclusion", "id:multiculturalism", "id:deaf-culture"} <= topics
    assert "id:social-justice" not in topics and "id:social-media" not in topics


def test_q_top_concepts(ask):
    tops = {text(r, "top"): int(r["narrower"].value) for r in ask("top-concepts")}
    assert "id:social-justice" in tops and "id:information-literacy" in tops
    assert "id:misinformation" not in tops
    assert tops["id:social-justice"] >= 9
    assert tops["id:information-literacy"] >= 2


def test_q_sessions_on_information_literacy(ask):
    rows = ask("sessions-on-information-literacy")
    assert set(column(rows, "event")) == {"id:session-carla-hayden-talk"}
    assert {"id:misinformation", "id:media-literacy", "id:information-literacy"} <= \
        set(column(rows, "topic"))


# --- facts -----------------------------------------------------------------------------

def test_q_facts_with_as_of_dates(ask):
    rows = {text(r, "property"): r for r in ask("facts-with-as-of-dates")}
    libraries = rows["kg:damagedLibraries"]
    assert int(libraries["value"].value) == 7
    assert libraries["as_of"] == pyoxigraph.Literal("2022-07-04",
                                                    datatype=pyoxigraph.NamedNode(XSD + "date"))
    assert text(libraries, "about") == "id:ukraine"
    assert text(libraries, "source") == "id:unesco"
    assert int(rows["kg:damagedEducationalInstitutions"]["value"].value) == 1888
    assert text(rows["kg:damagedEducationalInstitutions"], "as_of") == "2022-05-29"


def test_q_facts_by_period(ask):
    visitors = {text(r, "period_en"): int(r["value"].value) for r in ask("facts-by-period")
                if text(r, "property") == "kg:visitors"}
    assert visitors == {"before the pandemic": 284411, "during the pandemic": 89577}
    zh = {text(r, "period_zh") for r in ask("facts-by-period")}
    assert "疫情期間" in zh


def test_q_money_figures(ask):
    rows = ask("money-figures")
    assert ("id:ala-ukraine-library-relief-fund", 12000, "USD") in \
        {(text(r, "about"), int(r["amount"].value), text(r, "currency")) for r in rows}


# --- per report, posters, graphs -------------------------------------------------------

def test_q_entities_per_report(ask):
    rows = ask("entities-per-report")
    (row,) = [r for r in rows if r["report"].value.endswith("/doc/ala-2022-report")]
    assert text(row, "creator") == "id:hung-tun-ming"
    assert text(row, "publisher") == "id:nlpi"
    assert text(row, "issued") == "2022"
    assert int(row["entities"].value) >= 100


def test_q_posters_and_topics(ask):
    rows = {text(r, "poster"): text(r, "topics") for r in ask("posters-and-topics")}
    assert set(rows) == {"id:poster-book-drive", "id:poster-rakow-rangers",
                         "id:poster-google-data-studio", "id:poster-beyond-caldecott-newbery"}
    assert "Collection development" in rows["id:poster-beyond-caldecott-newbery"]


def test_q_describe_entity(store, bound):
    result = run_query(store, bound("describe-entity"), fmt="turtle")
    graph = list(pyoxigraph.parse(result.data, format=pyoxigraph.RdfFormat.TURTLE))
    hayden = pyoxigraph.NamedNode("https://w3id.org/nlpi-kg/id/carla-hayden")
    objects = {t.object for t in graph if t.subject == hayden}
    assert pyoxigraph.NamedNode("https://w3id.org/nlpi-kg/id/library-of-congress") in objects
    assert pyoxigraph.NamedNode("https://w3id.org/nlpi-kg/id/barack-obama") in objects


def test_q_people_and_organizations_graph(store):
    result = run_query(store, LIBRARY["people-and-organizations-graph"].text, fmt="jsonld")
    graph = list(pyoxigraph.parse(result.data, format=pyoxigraph.RdfFormat.JSON_LD))
    heads = pyoxigraph.NamedNode("https://w3id.org/nlpi-kg/ontology#heads")
    pairs = {(t.subject.value.rsplit("/", 1)[-1], t.object.value.rsplit("/", 1)[-1])
             for t in graph if t.predicate == heads}
    assert ("carla-hayden", "library-of-congress") in pairs
    assert ("julie-retherford", "chetco-community-public-library") in pairs


def test_in_process_store_holds_the_same_dataset_as_the_trig(build_result, store):
    """kg.sparql.store_from_dataset(build(...).dataset) == load_store(out): one dataset."""
    from kg.sparql.engine import store_from_dataset

    in_process = store_from_dataset(build_result.dataset)
    assert len(in_process) == len(store)
    query = LIBRARY["who-leads-library-of-congress"].text
    assert [s["person"] for s in run_query(in_process, query).solutions] == \
        [s["person"] for s in run_query(store, query).solutions]


# --- parameters ------------------------------------------------------------------------

def test_parameterised_mentions_answer_for_two_entities(ask, report_text):
    for name, expected in (("Carla Hayden", "Carla"), ("美國國會圖書館", "國會圖書館")):
        rows = ask("mentions-of-entity", entity=name)
        assert rows, name
        for row in rows:
            start, end = int(row["start"].value), int(row["end"].value)
            assert report_text[start:end] == row["exact"].value
        assert any(expected in row["exact"].value for row in rows), name
    hayden = {int(r["start"].value) for r in ask("mentions-of-entity", entity="Carla Hayden")}
    congress = {int(r["start"].value) for r in ask("mentions-of-entity",
                                                   entity="library-of-congress")}
    assert hayden and congress and not hayden & congress


def test_parameterised_statement_section_for_another_statement(ask):
    (row,) = ask("section-stating-a-statement", subject="Carla Hayden",
                 predicate="kg:nominatedBy", object="Barack Obama")
    assert text(row, "notation") == "貳.一.(二)"
    assert ask("section-stating-a-statement", subject="Barack Obama",
               predicate="kg:nominatedBy", object="Carla Hayden") == []


def test_parameterised_surface_forms_for_another_entity(ask):
    forms = {text(r, "form") for r in ask("surface-forms", entity="library-of-congress")}
    assert {"Library of Congress", "美國國會圖書館"} <= forms
    assert "ALA" not in forms


def test_report_parameter_restricts_and_names_unknown_reports(ask):
    everywhere = ask("attendance-figures")
    assert ask("attendance-figures", report="ala-2022-report") == everywhere
    from kg.problems import UserError

    with pytest.raises(UserError, match="unknown report 'nope'.*ala-2022-report"):
        ask("attendance-figures", report="nope")


@pytest.mark.parametrize("hostile", [
    'carla-hayden> } ?s ?p ?o . { <x',
    'Carla Hayden" } UNION { ?s ?p ?o',
    "x } ; DROP ALL ; SELECT * { ?s ?p ?o",
])
def test_injection_through_a_parameter_fails_with_a_message(ask, hostile):
    from kg.problems import UserError

    with pytest.raises(UserError, match="--param entity: unknown entity"):
        ask("mentions-of-entity", entity=hostile)


def test_a_property_parameter_refuses_what_is_not_an_iri(ask):
    from kg.problems import UserError

    with pytest.raises(UserError, match="--param predicate: .* is not a property"):
        ask("section-stating-a-statement", predicate="kg:heads> ?x ?y . ?a")


def test_string_values_are_literals_not_query_text():
    from kg.sparql.params import Param, bind_values, term_for

    hostile = 'x" } UNION { ?s ?p ?o } #'
    term = term_for(Param("form", "string"), hostile, resolve_entity=None, resolve_report=None)
    query = bind_values("SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> "
                        "?form }", {"form": term})
    store = pyoxigraph.Store()
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://example.org/a"), label,
                              pyoxigraph.Literal(hostile)))
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://example.org/b"), label,
                              pyoxigraph.Literal("b")))
    assert [row["s"].value for row in store.query(query)] == ["http://example.org/a"]


def test_unknown_parameter_names_the_declared_ones(bound):
    from kg.problems import UserError

    with pytest.raises(UserError, match="no parameter person; its parameters: entity"):
        bound("mentions-of-entity", {"person": "x"})

def test_q_facts_about_entity(ask, store):
    found = ask("facts-about-entity")
    assert any(text(r, "value") == "2017" and text(r, "section") == "貳.一.(三).4"
               and text(r, "propertyLabel") == "year of award" for r in found)
    other = run_query(store, LIBRARY["facts-about-entity"].text.replace("id:julie-stivers",
                                                                          "id:ukraine"))
    dated = [s for s in other.solutions if s["asOf"] is not None]
    assert dated and all(s["unit"] is not None and s["section"] is not None for s in dated)
    assert all(term_text(s["source"]) == "id:unesco" for s in dated)
