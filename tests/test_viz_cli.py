"""`kg viz` and `kg snapshot` from the command line, on the real build."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from kg.cli import cli


def _payload(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_viz_focus_writes_a_self_contained_page_and_a_snippet(built_out, tmp_path):
    target = tmp_path / "hayden.html"
    result = CliRunner().invoke(cli, ["viz", "--out", str(built_out), "--focus", "carla-hayden",
                                      "--depth", "1", "--out-file", str(target), "--snippet",
                                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    # Without --deck the snippet carries the view itself (srcdoc), in embed mode.
    inline = re.search(r'<iframe data-kg-view srcdoc="([^"]*)"', result.stdout)
    assert inline, result.stdout[:200]
    import html as html_lib

    assert _payload(html_lib.unescape(inline.group(1)))["meta"]["embed"] is True
    html = target.read_text(encoding="utf-8")
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html)
    assert "bootstrap" not in html.lower()  # pyvis's template loads it from a CDN
    data = _payload(html)
    assert data["meta"]["lang"] == "en"
    ids = {n["id"] for n in data["nodes"]}
    assert {"carla-hayden", "library-of-congress", "barack-obama"} <= ids
    heads = [r for r in data["details"]["carla-hayden"]["rel"] if r["p"] == "kg:heads"]
    assert heads and heads[0]["o"] == "library-of-congress" and heads[0]["sec"] == "貳.一.(二)"


def test_snippet_with_a_deck_is_relative_to_the_deck_and_writes_the_plugin(built_out,
                                                                          tmp_path):
    deck = tmp_path / "talk" / "index.html"
    target = tmp_path / "talk" / "views" / "loc.html"
    result = CliRunner().invoke(cli, ["viz", "--out", str(built_out), "--focus",
                                      "library-of-congress", "--out-file", str(target),
                                      "--snippet", "--deck", str(deck), "--keep", "title",
                                      "--theme", "dark"])
    assert result.exit_code == 0, result.output
    assert 'src="views/loc.html?embed=1&amp;keep=title&amp;theme=dark"' in result.stdout
    assert "KgViews" in (deck.parent / "reveal-kg.js").read_text(encoding="utf-8")
    data = _payload(target.read_text(encoding="utf-8"))
    assert data["meta"]["keep"] == ["title"] and data["meta"]["theme"] == "dark"


def test_viz_is_deterministic(built_out, tmp_path):
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(cli, ["viz", "--out", str(built_out), "--view", "topics",
                                     "--out-file", str(tmp_path / f"{name}.html")])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_viz_bad_options_are_user_errors(built_out, tmp_path):
    runner = CliRunner()
    for args, message in ((["--types", "Persn"], "unknown class"),
                          (["--community", "999"], "does not exist"),
                          (["--focus", "no-such-entity-xyz"], "unknown entity")):
        result = runner.invoke(cli, ["viz", "--out", str(built_out),
                                     "--out-file", str(tmp_path / "x.html"), *args])
        assert result.exit_code == 2, result.output
        assert message in result.output
    result = runner.invoke(cli, ["viz", "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "kg build" in result.output


def test_snapshot_command_writes_png_and_svg(built_out, tmp_path):
    result = CliRunner().invoke(cli, ["snapshot", "--out", str(built_out), "--view", "topics",
                                      "--out-file", str(tmp_path / "topics"), "--size",
                                      "1280x720"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "topics.png").stat().st_size > 10_000
    assert (tmp_path / "topics.svg").is_file()
    assert "Noto Sans CJK" in result.output
