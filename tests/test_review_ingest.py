"""End to end with the real `kg ingest`: its proposals decided by `kg review`, then ingest run
again — decided proposals do not come back, the others keep their ids, the page's count and
the log still show every decision."""

from __future__ import annotations

import json
import subprocess
import sys

from review_fixture import DOC, make_review_data

KG = [sys.executable, "-m", "kg"]


def kg(*args):
    return subprocess.run(KG + [str(a) for a in args], capture_output=True, text=True)


def listed(data, *extra):
    run = kg("review", DOC, "--data", data, "--list", "--json", *extra)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout), run.stderr


def find(rows, start):
    found = [r["id"] for r in rows if r["proposal"].startswith(start)]
    assert len(found) == 1, (start, rows)
    return found[0]


def test_decisions_survive_a_second_ingest(tmp_path):
    data, source = make_review_data(tmp_path, own_proposals=False)
    proposals = data / "reports" / DOC / "proposals.yaml"
    assert proposals.is_file(), "kg ingest wrote no proposals.yaml"
    rows, _ = listed(data)
    person, rejected = find(rows, "王大明"), find(rows, "李小華")
    merged = find(rows, "LC ")
    run = kg("review", DOC, "--data", data, "--accept", person, "--reject", rejected,
             "--merge", f"{merged}=library-of-congress")
    assert run.returncode == 0, run.stderr

    again = kg("ingest", source, "--id", DOC, "--data", data, "-q")
    assert again.returncode == 0, again.stderr
    text = proposals.read_text(encoding="utf-8")
    for pid in (person, rejected, merged):
        assert pid not in text
    before = {r["id"] for r in rows} - {person, rejected, merged}
    after, stderr = listed(data)
    # the others keep their ids (some may go: LC is now a known name, so is its relation)
    assert {r["id"] for r in after} <= before
    assert find(after, "北岸大學") == find(rows, "北岸大學")
    every, stderr = listed(data, "--all")
    status = {r["id"]: r["status"] for r in every}
    assert (status[person], status[rejected], status[merged]) == ("accept", "reject", "merge")
    assert f"3 of {len(after) + 3} reviewed" in stderr
    assert "- id: wang-daming" in (data / "reports" / DOC / "entities.yaml").read_text(
        encoding="utf-8")


def test_the_page_reviews_the_real_ingest_draft(tmp_path):
    """The page on the draft `kg ingest` wrote: every proposal with a span is marked in the
    text; decisions by keyboard (with an undo) land in the YAML; after a second ingest a
    reload still counts them and the rejected name is not proposed again."""
    import pytest

    from test_review_browser import CHROMIUM, ARGS, Server, open_page, press

    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    data, source = make_review_data(tmp_path, own_proposals=False)
    rows, _ = listed(data)
    person, rejected = find(rows, "王大明"), find(rows, "李小華")
    server = Server(data, source)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            origin = server.url.rstrip("/") + "/"
            context, page, requests, errors = open_page(browser, server.url, (origin,))
            page.wait_for_selector("body[data-ready='1']")
            assert page.text_content("#progress") == f"0 of {len(rows)} reviewed"
            marked = set(page.eval_on_selector_all("#text mark",
                                                   "ms => ms.map(m => m.dataset.id)"))
            with_span = {r["id"] for r in rows} & set(page.eval_on_selector_all(
                "#list li", "ls => ls.map(l => l.dataset.id)"))
            assert {person, rejected} <= marked <= with_span
            page.click(f"#p-{person} .summary")
            press(page, "a", f"1 of {len(rows)} reviewed")
            page.click(f"#p-{rejected} .summary")
            press(page, "r", f"2 of {len(rows)} reviewed")
            press(page, "u", f"1 of {len(rows)} reviewed")
            press(page, "r", f"2 of {len(rows)} reviewed")
            again = kg("ingest", source, "--id", DOC, "--data", data, "-q")
            assert again.returncode == 0, again.stderr
            page.reload()
            page.wait_for_selector("body[data-ready='1']")
            assert page.text_content("#progress").startswith("2 of ")
            assert "rejected" in page.text_content(f"#p-{rejected}")
            assert errors == [] and all(u.startswith(origin) for u in requests)
            context.close()
            browser.close()
    finally:
        server.stop()
    assert rejected not in (data / "reports" / DOC / "proposals.yaml").read_text("utf-8")
    assert "- id: wang-daming" in (data / "reports" / DOC / "entities.yaml").read_text("utf-8")
