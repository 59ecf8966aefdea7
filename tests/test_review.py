"""`kg review` without the browser: decisions from the command line, validation, undo, replay.

The report is test-written (tests/review_fixture.py), drafted by the real `kg ingest`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from review_fixture import COMMENT, DOC, make_review_data

KG = [sys.executable, "-m", "kg"]


def kg(*args, cwd=None):
    return subprocess.run(KG + [str(a) for a in args], capture_output=True, text=True,
                          cwd=cwd)


@pytest.fixture()
def draft(tmp_path):
    data, source = make_review_data(tmp_path)
    return data, source, data / "reports" / DOC


def snapshot(data):
    return {p.relative_to(data).as_posix(): p.read_bytes()
            for p in sorted(data.rglob("*.yaml"))}


def test_list_shows_pending_proposals_by_kind_and_score(draft):
    data, _, _ = draft
    run = kg("review", DOC, "--data", data, "--list", "--json")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert [r["kind"] for r in rows] == ["entity"] * 7 + ["relation"] * 2 + ["fact"]
    entity_scores = [r["score"] for r in rows if r["kind"] == "entity"]
    assert entity_scores == sorted(entity_scores, reverse=True)
    assert rows[0]["proposal"] == "湖濱圖書館年會 (Conference)"
    assert "0 of 10 reviewed" in run.stderr


def test_command_line_batch_writes_yaml_keeping_comments_and_builds(draft, tmp_path):
    data, source, folder = draft
    shared_before = (data / "shared" / "organizations.yaml").read_text(encoding="utf-8")
    run = kg("review", DOC, "--data", data,
             "--accept", "e-c000000001,e-b000000002", "--accept", "e-a000000003",
             "--edit", "e-d000000004", "type=University",
             "--edit", "e-d000000004", "label.en=North Shore University",
             "--merge", "e-e000000005=国会图书馆",   # any name, Simplified too
             "--reject", "e-f000000006",
             "--accept", "r-b000000008,f-a000000010")
    assert run.returncode == 0, run.stderr
    entities = (folder / "entities.yaml").read_text(encoding="utf-8")
    assert entities.startswith(COMMENT) and "# none yet" in entities
    for entity_id in ("lakeside-conference-2024", "lakeside-public-library", "wang-daming",
                      "north-shore-university"):
        assert f"- id: {entity_id}\n" in entities
    assert "childrens-room" not in entities and "li-xiaohua" not in entities
    assert "type: University" in entities and "North Shore University" in entities
    shared = (data / "shared" / "organizations.yaml").read_text(encoding="utf-8")
    # one line of the shared file changed: LC joined the Library of Congress's names; the
    # rest, comments included, is untouched
    changed = [(a, b) for a, b in zip(shared_before.splitlines(), shared.splitlines())
               if a != b]
    assert len(shared.splitlines()) == len(shared_before.splitlines())
    assert len(changed) == 1 and "LC" in changed[0][1] and "LC" not in changed[0][0]
    assert changed[0][1].strip().startswith(("alt:", "en:"))
    assert "kg:heads, object: lakeside-public-library, section: 壹" in \
        (folder / "relations.yaml").read_text(encoding="utf-8")
    assert "value: 3600, datatype: xsd:integer, unit: person, qualifier: approximate" in \
        (folder / "facts.yaml").read_text(encoding="utf-8")

    listed = json.loads(kg("review", DOC, "--data", data, "--list", "--json").stdout)
    assert sorted(r["id"] for r in listed) == ["e-a000000007", "r-d000000009"]

    out = tmp_path / "out"
    built = kg("build", "--data", data, "--out", out, "--source", source)
    assert built.returncode == 0, built.stderr
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(out / "kg.trig"), format=pyoxigraph.RdfFormat.TRIG)
    base = "https://w3id.org/nlpi-kg/"
    graph = f"<{base}graph/{DOC}>"
    def ask(query):
        return store.query(query, use_default_graph_as_union=True)

    rows = list(ask(f"""SELECT ?p WHERE {{ GRAPH {graph} {{
        <{base}id/wang-daming> ?p <{base}id/lakeside-public-library> }} }}"""))
    assert any(str(r["p"]).endswith("heads>") for r in rows)
    rows = list(ask(f"""PREFIX schema: <https://schema.org/> SELECT ?t WHERE {{
        <{base}id/north-shore-university> a ?t }}"""))
    assert any("CollegeOrUniversity" in str(r["t"]) for r in rows)
    rows = list(ask(f"""PREFIX schema: <https://schema.org/> SELECT ?v WHERE {{
        ?f schema:observationAbout <{base}id/lakeside-conference-2024> ; schema:value ?v }}"""))
    assert [int(r["v"].value) for r in rows] == [3600]
    rows = list(ask(f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE {{
        <{base}id/library-of-congress> skos:altLabel ?l }}"""))
    assert "LC" in {r["l"].value for r in rows}
    rows = list(ask(f"""SELECT ?e WHERE {{ ?e ?p ?o FILTER(?e = <{base}id/childrens-room>) }}"""))
    assert rows == []


def test_invalid_edit_is_refused_with_the_validators_message_and_nothing_changes(draft):
    data, _, folder = draft
    kg("review", DOC, "--data", data, "--accept", "e-c000000001")
    before = snapshot(data)
    run = kg("review", DOC, "--data", data, "--edit", "f-a000000010", "value=3,600")
    assert run.returncode == 1
    assert "is not an xsd:integer (write digits only, no thousands separators)" in run.stderr
    assert "facts.yaml" in run.stderr and "Traceback" not in run.stderr
    run = kg("review", DOC, "--data", data, "--accept", "e-b000000002",
             "--edit", "e-a000000003", "type=Persn")
    assert run.returncode == 1
    assert "unknown type 'Persn'" in run.stderr and "did you mean 'Person'" in run.stderr
    assert snapshot(data) == before  # the whole batch refused: e-b000000002 not written


def test_relation_to_an_undecided_entity_is_refused_naming_it(draft):
    data, _, _ = draft
    before = snapshot(data)
    run = kg("review", DOC, "--data", data, "--accept", "r-d000000009")
    assert run.returncode == 2
    assert "e-a000000007" in run.stderr and "accept, edit or merge that proposal first" \
        in run.stderr
    kg("review", DOC, "--data", data, "--reject", "e-a000000007")
    run = kg("review", DOC, "--data", data, "--accept", "r-d000000009")
    assert run.returncode == 2 and "was rejected" in run.stderr
    assert snapshot(data).keys() == before.keys() | {f"reports/{DOC}/decisions.yaml"}


def test_undo_reverts_every_file_exactly_and_the_log_replays(draft):
    from kg.review.decisions import Review, replay

    data, _, folder = draft
    before = snapshot(data)
    steps = [("--accept", "e-c000000001"), ("--merge", "e-e000000005=library-of-congress"),
             ("--edit", "e-d000000004", "type=University"), ("--accept", "e-b000000002"),
             ("--accept", "e-a000000003"), ("--accept", "r-b000000008"),
             ("--accept", "f-a000000010"), ("--reject", "e-f000000006")]
    for step in steps:
        run = kg("review", DOC, "--data", data, *step)
        assert run.returncode == 0, run.stderr
    after = snapshot(data)
    log = Review(data, DOC).log
    assert [e["decision"] for e in log] == ["accept", "merge", "edit", "accept", "accept",
                                            "accept", "accept", "reject"]
    texts = {rel: body.decode() for rel, body in before.items()}
    replayed = replay(texts, log)
    for rel, body in after.items():
        if not rel.endswith("decisions.yaml"):
            assert replayed[rel] == body.decode(), rel
    for _ in steps:
        run = kg("review", DOC, "--data", data, "--undo")
        assert run.returncode == 0, run.stderr
    now = snapshot(data)
    assert {k: v for k, v in now.items() if not k.endswith("decisions.yaml")} == before
    assert Review(data, DOC).log == []
    assert kg("review", DOC, "--data", data, "--undo").returncode == 2


def test_decisions_file_and_clear_errors(draft, tmp_path):
    data, _, folder = draft
    plan = tmp_path / "plan.yaml"
    plan.write_text("- {proposal: e-c000000001, decision: accept}\n"
                    "- {proposal: e-d000000004, decision: edit, edits: {type: University}}\n"
                    "- {proposal: e-f000000006, decision: reject}\n", encoding="utf-8")
    run = kg("review", DOC, "--data", data, "--decisions", plan)
    assert run.returncode == 0, run.stderr
    listed = json.loads(kg("review", DOC, "--data", data, "--list", "--all", "--json").stdout)
    status = {r["id"]: r["status"] for r in listed}
    assert status["e-c000000001"] == "accept" and status["e-d000000004"] == "edit"
    assert status["e-f000000006"] == "reject" and status["e-a000000003"] == "pending"
    run = kg("review", DOC, "--data", data, "--accept", "e-c000000001")
    assert run.returncode == 2 and "already decided" in run.stderr
    run = kg("review", DOC, "--data", data, "--accept", "e-c00000001")
    assert run.returncode == 2 and "did you mean 'e-c000000001'" in run.stderr
    run = kg("review", "no-such-report", "--data", data, "--list")
    assert run.returncode == 2 and "no report 'no-such-report'" in run.stderr
    run = kg("review", DOC, "--data", data, "--merge", "e-a000000003")
    assert run.returncode == 2 and "PROPOSAL=ENTITY" in run.stderr
    run = kg("review", DOC, "--data", data, "--merge", "e-a000000003=圖書館")
    assert run.returncode == 2 and "unknown entity" in run.stderr
    assert all("Traceback" not in r for r in [run.stderr])


def test_yamledit_keeps_multi_line_entries_and_comments():
    from kg.review.yamledit import append_item, undo_patch

    text = ("# header\nrelations:\n  # group\n  - {subject: a, predicate: kg:heads, object: b,\n"
            "     section: 壹}   # a note\n  # trailing remark\n")
    new, patch = append_item(text, "relations", {"subject": "c", "predicate": "kg:heads",
                                                 "object": "d", "section": "貳"}, inline=True)
    assert new == text.replace("  # trailing", "  - {subject: c, predicate: kg:heads, object: "
                               "d, section: 貳}\n  # trailing")
    assert undo_patch(new, patch) == text
