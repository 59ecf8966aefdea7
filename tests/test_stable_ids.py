"""Statement and fact IRIs survive edits of their section and note; a changed statement
records what it replaces (dcterms:isReplacedBy)."""

from __future__ import annotations

import pyoxigraph

from kg.build.pipeline import build

HEADS = "{subject: carla-hayden, predicate: kg:heads, object: library-of-congress, section: 貳.一.(二),"
ID = "https://w3id.org/nlpi-kg/id/"


def statements(out, subject: str, predicate: str) -> dict[str, str]:
    """statement IRI -> object id, read back from kg.nt by pyoxigraph."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(out / "kg.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    rows = store.query(f"""SELECT ?st ?o WHERE {{ ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{ID}{subject}> ;
        <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <https://w3id.org/nlpi-kg/ontology#{predicate}> ;
        <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o }}""")
    return {row["st"].value: row["o"].value[len(ID):] for row in rows}


def test_statement_iri_survives_a_section_and_note_edit(data_copy, tmp_path):
    before = statements(build(data_copy, tmp_path / "a", shacl=False).written["kg.nt"].parent,
                        "carla-hayden", "heads")
    relations = data_copy / "reports" / "ala-2022" / "relations.yaml"
    text = relations.read_text(encoding="utf-8")
    assert HEADS in text
    relations.write_text(text.replace(HEADS, HEADS.replace("section: 貳.一.(二),",
                                                           "section: 貳.一, note: moved,")),
                         encoding="utf-8")
    after = statements(build(data_copy, tmp_path / "b", shacl=False).written["kg.nt"].parent,
                       "carla-hayden", "heads")
    assert before == after and list(after.values()) == ["library-of-congress"]


def test_a_changed_statement_records_its_replacement(data_copy, tmp_path):
    old = statements(build(data_copy, tmp_path / "a", shacl=False).written["kg.nt"].parent,
                     "carla-hayden", "heads")
    (old_iri,) = old
    relations = data_copy / "reports" / "ala-2022" / "relations.yaml"
    text = relations.read_text(encoding="utf-8")
    changed = HEADS.replace("object: library-of-congress", "object: ala") + \
        f" replaces: {old_iri.rsplit('/', 1)[1]},"
    relations.write_text(text.replace(HEADS, changed), encoding="utf-8")
    out = build(data_copy, tmp_path / "b", shacl=False).written["kg.nt"].parent
    (new_iri, obj), = statements(out, "carla-hayden", "heads").items()
    assert obj == "ala" and new_iri != old_iri
    nt = (out / "kg.nt").read_text(encoding="utf-8")
    assert f"<{old_iri}> <http://purl.org/dc/terms/isReplacedBy> <{new_iri}> ." in nt
    assert f"<{new_iri}> <http://purl.org/dc/terms/replaces> <{old_iri}> ." in nt
    # the old IRI still answers, with a page pointing at its replacement
    from kg.site.publish import Publisher
    from kg.sparql.engine import load_store

    response = Publisher(load_store(out)).answer(old_iri[len("https://w3id.org/nlpi-kg"):],
                                                 "text/html")
    page = response.body.decode("utf-8")
    assert response.status == 200 and "Replaced by" in page
    assert f'href="{new_iri[len("https://w3id.org/nlpi-kg"):]}"' in page


def test_two_statements_sharing_an_iri_are_kept_apart_and_warned(data_copy, tmp_path):
    relations = data_copy / "reports" / "ala-2022" / "relations.yaml"
    text = relations.read_text(encoding="utf-8")
    twin = ("\n  - {subject: carla-hayden, predicate: kg:heads, object: library-of-congress, "
            "section: 壹, role: {en: Librarian of Congress, zh-Hant: 國會圖書館館長}}\n")
    first_line = text[:text.index(HEADS)].count("\n") + 1
    relations.write_text(text.rstrip("\n") + twin, encoding="utf-8")
    result = build(data_copy, tmp_path / "out", shacl=False)
    messages = [p.format() for p in result.warnings]
    assert any("would share the IRI" in m and f"relations.yaml:{first_line}" in m and "id:" in m
               for m in messages), messages
    found = statements(tmp_path / "out", "carla-hayden", "heads")
    assert len(found) == 2  # two statement nodes, each citing its own section


def test_a_replaces_that_names_nothing_of_this_report_is_refused(data_copy):
    import pytest

    from kg.problems import DataError

    relations = data_copy / "reports" / "ala-2022" / "relations.yaml"
    text = relations.read_text(encoding="utf-8")
    relations.write_text(text.replace(HEADS, HEADS + " replaces: 'http://example.org/x',"),
                         encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build(data_copy, data_copy.parent / "out", shacl=False)
    assert any("'replaces' must name a statement of this report" in p.format()
               for p in caught.value.problems)
