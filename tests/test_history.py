"""History: former names and former relations are data, shown as such in the graph."""

from __future__ import annotations

import pyoxigraph as ox

from kg.build.loader import load_catalog
from kg.build.checks import check_catalog

KG = "https://w3id.org/nlpi-kg/"


def _ask(store: ox.Store, query: str):
    return list(store.query(f"PREFIX kg: <{KG}ontology#> PREFIX id: <{KG}id/> "
                            "PREFIX schema: <https://schema.org/> "
                            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> " + query,
                            use_default_graph_as_union=True))


def _store(built_out) -> ox.Store:
    store = ox.Store()
    store.load(path=str(built_out / "kg.trig"), format=ox.RdfFormat.TRIG)
    return store


def test_former_residence_is_marked_and_current_one_is_not(built_out):
    rows = _ask(_store(built_out), """
        SELECT ?place ?former WHERE {
          ?st a kg:Statement ; rdf:subject id:philip-lee ; rdf:predicate schema:homeLocation ;
              rdf:object ?place ; kg:former ?former } ORDER BY ?place""")
    got = {row["place"].value.rsplit("/", 1)[-1]: row["former"].value for row in rows}
    assert got == {"los-angeles": "true", "san-francisco": "false"}


def test_former_name_is_a_kg_former_name_and_matches_as_a_mention(built_out, tmp_path):
    rows = _ask(_store(built_out), """SELECT ?n WHERE { id:nlpi kg:formerName ?n }""")
    assert {(r["n"].value, r["n"].language.lower()) for r in rows} >= {
        ("國立臺中圖書館", "zh-hant"), ("National Taichung Library", "en")}
    from kg.build.provenance import locate
    from tests.conftest import REPO

    catalog, _ = load_catalog(REPO / "data")
    document = next(iter(catalog.documents.values()))
    text = "本報告由國立臺中圖書館同仁撰寫。"
    found = locate(catalog, document, text)
    assert [(m.entity, text[m.start:m.end]) for m in found.mentions
            if m.entity == "nlpi"] == [("nlpi", "國立臺中圖書館")]


def test_validity_dates_are_checked_with_file_and_line(data_copy):
    path = data_copy / "reports" / "ala-2022" / "relations.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("object: san-francisco, section: 貳.一.(三).7}",
                        "object: san-francisco, section: 貳.一.(三).7, valid_from: 2031, "
                        "valid_until: 2020-13-01}", 1)
    path.write_text(text, encoding="utf-8")
    catalog, problems = load_catalog(data_copy)
    problems += check_catalog(catalog)
    messages = [(p.file.rsplit("/", 1)[-1], p.what) for p in problems if p.is_error]
    assert any(f == "relations.yaml" and "malformed valid_until" in what
               for f, what in messages), messages
    line = next(p.line for p in problems if "valid_until" in p.what)
    assert "valid_until: 2020-13-01" in text.splitlines()[line - 1]


def test_valid_from_after_valid_until_is_an_error(data_copy):
    path = data_copy / "reports" / "ala-2022" / "relations.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "object: san-francisco, section: 貳.一.(三).7}",
        "object: san-francisco, section: 貳.一.(三).7, valid_from: 2021, valid_until: 2019}", 1)
    path.write_text(text, encoding="utf-8")
    catalog, problems = load_catalog(data_copy)
    problems += check_catalog(catalog)
    assert any("is after valid_until" in p.what for p in problems)


def test_valid_dates_become_typed_start_and_end_dates(data_copy, tmp_path):
    from kg.build.pipeline import build

    path = data_copy / "reports" / "ala-2022" / "relations.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "object: san-francisco, section: 貳.一.(三).7}",
        "object: san-francisco, section: 貳.一.(三).7, valid_from: 2005}", 1)
    path.write_text(text, encoding="utf-8")
    build(data_copy, tmp_path / "out", shacl=True)
    rows = _ask(_store(tmp_path / "out"), """
        SELECT ?start WHERE { ?st rdf:subject id:philip-lee ; rdf:object id:san-francisco ;
                              schema:startDate ?start }""")
    assert [(r["start"].value, r["start"].datatype.value.rsplit("#", 1)[-1]) for r in rows] == \
        [("2005", "gYear")]
