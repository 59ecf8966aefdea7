#!/usr/bin/env python3
"""From `kg ingest` to a built graph for a test-written report, with the review page.

Runs, as a new user would: `kg ingest` on the test report (tests/review_fixture.py), `kg review`
as a real server with the page in headless Chromium driven by the keyboard (eight decisions:
three accepts, one edit of the type, one merge, one rejection, a relation and a figure), then
`kg build`. Prints each stage's wall time and its ratio to `kg build` (the baseline, measured in
the same run), and what hand-editing the same result would take: the YAML lines typed, counted
from what the decisions inserted.

    python bench/review_flow.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from review_fixture import DOC, KG, make_review_data  # noqa: E402


def timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def review_in_browser(url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        context = browser.new_context()
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url)
                      else r.abort())
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']")
        done = [0]

        def key(k, counts=True):
            page.keyboard.press(k)
            if counts:
                done[0] += 1
                expect(page.locator("#progress")).to_have_text(f"{done[0]} of 10 reviewed")

        key("a"), key("a"), key("a"), key("j", False), key("e", False)
        page.select_option("#edit-form select[name=type]", "University")
        key("Enter")
        key("m", False)
        page.wait_for_selector("#merge-form .results li.focus[data-id='library-of-congress']")
        key("Enter"), key("r"), key("a"), key("ArrowDown", False), key("a")
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (data, source), ingest_s = timed(lambda: make_review_data(tmp))
        folder = data / "reports" / DOC
        server = subprocess.Popen(KG + ["review", DOC, "--data", str(data), "--source",
                                        str(source), "--no-browser"],
                                  stdout=subprocess.PIPE, text=True)
        start = time.perf_counter()
        url = server.stdout.readline().split()[2]
        try:
            _, page_s = timed(lambda: review_in_browser(url))
            page_s += 0  # page start-up is included from here
            review_s = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait()
        _, build_s = timed(lambda: subprocess.run(
            KG + ["build", "--data", str(data), "--out", str(tmp / "out"), "--source",
                  str(source), "--no-html"], check=True, capture_output=True))
        from kg.review.decisions import Review

        log = Review(data, DOC).log
        lines = sum(change["inserted"].count("\n") for e in log for change in e.get("wrote", []))
        changed = sum(1 for e in log for change in e.get("wrote", []) if change["removed"])
    total = ingest_s + review_s + build_s
    print(f"ingest (draft + proposals)  {ingest_s:6.1f} s  {ingest_s / build_s:5.2f}x build")
    print(f"review page, 8 decisions    {review_s:6.1f} s  {review_s / build_s:5.2f}x build "
          "(scripted keyboard: the lower bound)")
    print(f"kg build                    {build_s:6.1f} s  1.00x (baseline)")
    print(f"total                       {total:6.1f} s  = {total / 60:.1f} min")
    print(f"by hand: {lines} YAML lines to type ({changed} existing entries changed), plus "
          "ids, sections and types looked up for each")


if __name__ == "__main__":
    main()
