"""Figures and dates as typed records: texts written for these tests, and the bundled report."""

from __future__ import annotations

import pytest

from kg.extract.figures import find_figures

ROC_REPORT = ("壹、緣起\n本館自92~93年起推動閱讀計畫，民國110年3月5日起擴大辦理。\n"
              "貳、成果\n去年約3600位讀者參加，館藏已有兩萬餘冊，入館人次超過六萬四千人，\n"
              "辦理講座三千六百場？不，是36場。經費新臺幣300萬元，另獲5萬美元捐助，\n"
              "借閱率提升12.5%。未滿20所學校回覆問卷；約有近百名志工。\n")


def by_text(text, **kw):
    return {text[f.start:f.end]: f for f in find_figures(text, **kw)}


def test_counts_with_qualifiers_and_units():
    found = by_text(ROC_REPORT)
    assert (found["3600位"].value, found["3600位"].datatype, found["3600位"].unit,
            found["3600位"].qualifier) == ("3600", "xsd:integer", "person", "approximate")
    assert (found["兩萬餘冊"].value, found["兩萬餘冊"].qualifier, found["兩萬餘冊"].unit) == \
        ("20000", "lowerBound", "volume")
    assert (found["六萬四千人"].value, found["六萬四千人"].qualifier) == ("64000", "lowerBound")
    assert (found["36場"].value, found["36場"].unit, found["36場"].qualifier) == \
        ("36", "session", None)
    assert (found["20所"].value, found["20所"].unit, found["20所"].qualifier) == \
        ("20", "institution", "upperBound")


def test_roc_years_and_dates():
    found = by_text(ROC_REPORT)
    years = found["92~93年"]
    assert (years.kind, years.value, years.until, years.datatype, years.calendar) == \
        ("year-range", "2003", "2004", "xsd:gYear", "roc")
    date = found["民國110年3月5日"]
    assert (date.value, date.datatype, date.calendar) == ("2021-03-05", "xsd:date", "roc")


def test_money_and_percentages():
    found = by_text(ROC_REPORT)
    assert (found["新臺幣300萬元"].value, found["新臺幣300萬元"].unit,
            found["新臺幣300萬元"].datatype) == ("3000000", "TWD", "xsd:decimal")
    assert (found["5萬美元"].value, found["5萬美元"].unit) == ("50000", "USD")
    assert (found["12.5%"].value, found["12.5%"].datatype, found["12.5%"].unit) == \
        ("12.5", "xsd:decimal", "percent")
    assert by_text("門票10元。")["10元"].unit == "TWD"
    assert by_text("门票10元，这个馆很大。")["10元"].unit == "CNY"


def test_date_ranges_take_the_year_from_context():
    text = "年會於2019年8月24日至31日舉行。同年6月22日至28日也辦了一次。\n"
    found = by_text(text)
    first = found["2019年8月24日至31日"]
    assert (first.kind, first.value, first.until) == ("date-range", "2019-08-24", "2019-08-31")
    second = found["6月22日至28日"]
    assert (second.value, second.until) == ("2019-06-22", "2019-06-28")
    assert by_text("會期6月1日。", year=2030)["6月1日"].value == "2030-06-01"
    assert "6月1日" not in by_text("會期6月1日。")     # no year anywhere: not a date


def test_bare_years_are_roc_only_in_context():
    assert by_text("110年度計畫")["110年度"].value == "2021"
    assert by_text("民國百年後，105年再辦。")["105年"].value == "2016"
    plain = by_text("過去50年來，10-20年間的改變。")
    assert not any(f.kind in ("year", "year-range") for f in plain.values())
    assert by_text("2022年的年會")["2022年"].value == "2022"


def test_ordinals_and_single_articles_are_not_counts():
    found = by_text("第三場有一位講者，第2場有三位講者。")
    assert "三場" not in found and "2場" not in found and "一位" not in found
    assert found["三位"].value == "3"
    assert by_text("由兩位館員出席。")["兩位"].value == "2"


def test_subject_is_the_nearest_mention_in_the_sentence_else_the_event():
    text = "甲館有300位館員，乙館有50位。另一句有20人。"
    mentions = [(0, 2, "library-a"), (10, 12, "library-b")]
    found = by_text(text, mentions=mentions, event="conference")
    assert found["300位"].subject == "library-a"
    assert found["50位"].subject == "library-b"
    assert found["20人"].subject == "conference"
    assert text[slice(*found["20人"].sentence)] == "另一句有20人。"


def test_offsets_and_sentences_are_code_points(report_text):
    figures = find_figures(report_text)
    assert len(figures) > 30
    for figure in figures:
        piece = report_text[figure.start:figure.end]
        assert any(c.isdigit() or c in "一二兩三四五六七八九十百千萬" for c in piece)
        start, end = figure.sentence
        assert start <= figure.start < figure.end <= end


@pytest.mark.parametrize("property_, value", [("kg:inPersonAttendees", "7738"),
                                              ("kg:registeredAttendees", "14003")])
def test_bundled_counts_are_found(report_text, property_, value):
    found = [f for f in find_figures(report_text) if f.value == value]
    assert found and found[0].unit == "person" and found[0].datatype == "xsd:integer"


# -- qualifiers in the curated data and the graph ------------------------------------------
def _add_fact(data, **fields):
    import yaml

    path = data / "reports" / "ala-2022" / "facts.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    content["facts"].append(fields)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def test_a_qualified_fact_is_built_with_kg_qualifier(data_copy, tmp_path):
    import pyoxigraph as ox

    from kg.build.pipeline import build

    _add_fact(data_copy, about="ala", property="kg:members", value=58000,
              datatype="xsd:integer", unit="person", qualifier="lowerBound", section="壹")
    result = build(data_copy, tmp_path / "out", shacl=True)
    store = ox.Store()
    store.bulk_load(path=str(result.written["kg.nt"]), format=ox.RdfFormat.N_TRIPLES)
    rows = list(store.query("""PREFIX kg: <https://w3id.org/nlpi-kg/ontology#>
        PREFIX schema: <https://schema.org/>
        SELECT ?q WHERE { ?f schema:value 58000 ; kg:qualifier ?q ; schema:unitText "person" }"""))
    assert [row["q"].value for row in rows] == ["lowerBound"]


def test_an_unknown_qualifier_is_an_error(data_copy):
    from click.testing import CliRunner

    from kg.cli import cli

    _add_fact(data_copy, about="ala", property="kg:members", value=58000,
              datatype="xsd:integer", qualifier="about", section="壹")
    outcome = CliRunner().invoke(cli, ["validate", "--data", str(data_copy), "--no-shacl"])
    assert outcome.exit_code == 1
    assert "facts.yaml:" in outcome.output and "unknown qualifier 'about'" in outcome.output
    assert "approximate, lowerBound, upperBound" in outcome.output
