"""Finding entities by name: ids, IRIs, labels and aliases, English and either Chinese script."""

from __future__ import annotations

import pytest

from kg.problems import UserError
from kg.explore.resolve import normalize, resolve, search


@pytest.mark.parametrize("text", ["國會圖書館", "国会图书馆", "library of congress",
                                  "LIBRARY OF CONGRESS", "美国国会图书馆"])
def test_search_finds_the_library_of_congress_first(view, text):
    best = search(view, text, limit=3)[0]
    assert best.id == "library-of-congress"
    assert best.label_zh == "美國國會圖書館" and best.cls == "Library"
    assert best.score == 1.0


def test_search_ranks_partial_matches_below_exact_ones(view):
    found = search(view, "congress", limit=5)
    assert found[0].id == "library-of-congress"
    assert 0 < found[0].score < 1.0
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


@pytest.mark.parametrize("name", ["library-of-congress", "https://w3id.org/nlpi-kg/id/library-of-congress",
                                  "id:library-of-congress", "Library of Congress", "国会图书馆",
                                  " library  of congress "])
def test_resolve_accepts_id_iri_label_and_alias(view, name):
    assert resolve(view, name) == "library-of-congress"


def test_resolve_reads_simplified_chinese_for_a_traditional_label(view):
    assert view.nodes["nlpi"]["label_zh"] == "國立公共資訊圖書館"
    assert resolve(view, "国立公共资讯图书馆") == "nlpi"


def test_an_ambiguous_name_lists_the_candidates(view):
    # "Climate Justice" names both the topic and the session about it.
    with pytest.raises(UserError) as caught:
        resolve(view, "climate justice")
    message = str(caught.value)
    assert "ambiguous" in message
    assert "climate-justice" in message and "session-climate-justice" in message


def test_an_unknown_name_suggests_the_closest(view):
    with pytest.raises(UserError) as caught:
        resolve(view, "Carla Haydn")
    assert "unknown entity 'Carla Haydn'" in str(caught.value)
    assert "carla-hayden" in str(caught.value)


def test_normalize_meets_both_scripts_and_case():
    assert normalize("國會圖書館") == normalize("国会图书馆")
    assert normalize("Library-of-Congress") == normalize("library of congress")
