"""The class colour families are told apart by everyone, the colour-blind included.

ΔE is CIEDE2000 (coloraide's ``delta_e(method="2000")``); deuteranopia is simulated with the
Machado, Oliveira & Fernandes (2009) matrices at severity 1 (coloraide's ``filter("deutan",
method="machado")``), applied in linear sRGB.
"""

from __future__ import annotations

import itertools

import coloraide
import pytest

from kg.explore.palette import CLASS_SHAPES, FAMILY_COLORS, color_of, family_of, shape_of
from kg.vocab import ENTITY_TYPES

PAIRS = list(itertools.combinations(sorted(FAMILY_COLORS), 2))


def delta_e(a: str, b: str, deutan: bool = False) -> float:
    ca, cb = coloraide.Color(a), coloraide.Color(b)
    if deutan:
        ca, cb = ca.filter("deutan", method="machado"), cb.filter("deutan", method="machado")
    return ca.delta_e(cb, method="2000")


@pytest.mark.parametrize("a,b", PAIRS)
def test_every_pair_of_families_differs_in_normal_and_deuteranopic_vision(a, b):
    normal = delta_e(FAMILY_COLORS[a], FAMILY_COLORS[b])
    deutan = delta_e(FAMILY_COLORS[a], FAMILY_COLORS[b], deutan=True)
    assert normal >= 20, f"{a}/{b}: ΔE2000 {normal:.1f} in normal vision"
    assert deutan >= 12, f"{a}/{b}: ΔE2000 {deutan:.1f} under deuteranopia"


def test_the_measure_itself_catches_a_known_confusion():
    # Red and green of the same lightness: distinct normally, close for a deuteranope.
    assert delta_e("#D62728", "#2CA02C") > 40
    assert delta_e("#D62728", "#8C8C00", deutan=True) < delta_e("#D62728", "#8C8C00") / 2


def test_few_families_and_subclasses_of_a_family_have_distinct_shapes():
    families = {family_of(cls) for cls in ENTITY_TYPES}
    assert 5 <= len(families) <= 8
    for family in families:
        members = [c for c in ENTITY_TYPES if family_of(c) == family]
        shapes = [shape_of(c) for c in members]
        assert len(set(shapes)) == len(shapes), (family, members, shapes)
        assert len({color_of(c) for c in members}) == 1
    assert set(ENTITY_TYPES) <= set(CLASS_SHAPES)


def test_the_gexf_export_uses_the_same_colours():
    from kg.explore.exports import class_color

    for cls in ENTITY_TYPES:
        assert class_color(cls).upper() == color_of(cls).upper()
