"""Reading the report's text: the heading tree and name matching across PDF line breaks."""

from __future__ import annotations

from kg.build.loader import load_catalog
from kg.text.headings import parse_headings
from kg.text.forms import find_forms


def test_heading_tree_matches_the_curated_sections(report_text, repo):
    catalog, problems = load_catalog(repo / "data")
    document = catalog.documents["ala-2022-report"]
    headings = parse_headings(report_text)
    parsed = [h.notation for h in headings if h.kind == "section"]
    curated = [s.notation for s in document.sections if s.kind == "section"]
    assert parsed == curated
    figures = [(h.notation, h.number) for h in headings if h.kind == "figure"]
    assert figures == [(s.parent, s.number) for s in document.sections if s.kind == "figure"]


def test_numbered_list_inside_a_section_is_not_a_heading(report_text):
    notations = [h.notation for h in parse_headings(report_text) if h.kind == "section"]
    # 貳.一.(三).4 contains a numbered list "1. … 5."; it must not restart the numbering.
    assert notations.count("貳.一.(三).1") == 1
    assert "貳.一.(三).9" not in notations


def test_full_width_figure_number_is_read(report_text):
    numbers = [h.number for h in parse_headings(report_text) if h.kind == "figure"]
    assert numbers == [1, 2, 3, 4, 5, 6, 6, 6, 7, 7, 8]


def test_names_split_by_pdf_line_breaks_are_found(report_text):
    matches = find_forms(report_text, ["Carla Hayden", "Julie Retherford"])
    hayden = [m for m in matches if m.form == "Carla Hayden"]
    assert len(hayden) >= 3
    assert any("\n" in report_text[m.start:m.end] for m in hayden)


def test_latin_names_match_whole_words_only():
    assert find_forms("ALAN and ALA", ["ALA"]) == find_forms("ALAN and ALA", ["ALA"])
    assert [(m.start, m.end) for m in find_forms("ALAN and ALA", ["ALA"])] == [(9, 12)]


def test_longest_name_wins_over_a_name_inside_it():
    text = "向 ALA 烏克蘭圖書館救濟基金捐款，ALA 表示"
    matches = find_forms(text, ["ALA", "ALA 烏克蘭圖書館救濟基金"])
    assert [m.form for m in matches] == ["ALA 烏克蘭圖書館救濟基金", "ALA"]
