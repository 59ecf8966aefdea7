"""One palette for every picture of the graph: HTML views, slide images and the GEXF export.

Classes are grouped into eight colour families (people, organizations, events, works,
initiatives, places, topics, other); a family has one colour and its subclasses are told
apart by shape. The eight colours come from Paul Tol's and Okabe–Ito's colour-blind-safe
sets, chosen so that every pair differs by CIEDE2000 ΔE ≥ 20 in normal vision and ≥ 12 under
simulated deuteranopia (Machado et al. 2009, severity 1); ``tests/test_palette.py`` measures it.

>>> family_of("Library"), color_of("Library"), shape_of("Library")
('organization', '#0072B2', 'square')
>>> color_of("Session") == color_of("Conference"), shape_of("Session"), shape_of("Conference")
(True, 'dot', 'diamond')
"""

from __future__ import annotations

__all__ = ["FAMILIES", "FAMILY_COLORS", "FAMILY_LABELS", "CLASS_SHAPES", "MPL_MARKERS",
           "family_of", "color_of", "shape_of", "marker_of", "border_of"]

# family -> (colour, English label, Traditional Chinese label)
_FAMILY_TABLE = {
    "person": ("#D55E00", "People", "人物"),
    "organization": ("#0072B2", "Organizations", "組織機構"),
    "event": ("#AA3377", "Events", "活動"),
    "work": ("#CCBB44", "Works", "作品"),
    "initiative": ("#EE6677", "Programmes, platforms, awards", "計畫、平台、獎項"),
    "place": ("#117733", "Places", "地點"),
    "topic": ("#66CCEE", "Topics", "主題"),
    "other": ("#999999", "Other", "其他"),
}
FAMILIES: tuple[str, ...] = tuple(_FAMILY_TABLE)
FAMILY_COLORS = {name: row[0] for name, row in _FAMILY_TABLE.items()}
FAMILY_LABELS = {name: (row[1], row[2]) for name, row in _FAMILY_TABLE.items()}

# class -> (family, shape); shapes are vis-network's names, one per subclass in a family.
_CLASS_TABLE = {
    "Person": ("person", "dot"),
    "Organization": ("organization", "dot"), "Library": ("organization", "square"),
    "University": ("organization", "diamond"),
    "GovernmentOrganization": ("organization", "triangle"),
    "Publisher": ("organization", "triangleDown"), "Fund": ("organization", "star"),
    "Session": ("event", "dot"), "Conference": ("event", "diamond"),
    "CreativeWork": ("work", "dot"), "Book": ("work", "square"),
    "Periodical": ("work", "diamond"), "Poster": ("work", "triangle"),
    "Game": ("work", "triangleDown"), "HashtagCampaign": ("work", "star"),
    "Program": ("initiative", "dot"), "Platform": ("initiative", "square"),
    "Award": ("initiative", "star"),
    "Place": ("place", "dot"), "Country": ("place", "square"), "State": ("place", "diamond"),
    "City": ("place", "triangle"),
    "Topic": ("topic", "dot"),
    "Thing": ("other", "dot"), "Report": ("other", "square"), "Section": ("other", "diamond"),
    "Figure": ("other", "triangle"),
}
CLASS_SHAPES = {name: row[1] for name, row in _CLASS_TABLE.items()}
# The same shapes as matplotlib markers, for slide images.
MPL_MARKERS = {"dot": "o", "square": "s", "diamond": "D", "triangle": "^",
               "triangleDown": "v", "star": "*", "hexagon": "h"}


def family_of(cls: str) -> str:
    """The colour family of a class name (``other`` for a class we do not know)."""
    return _CLASS_TABLE.get(str(cls), ("other", "dot"))[0]


def color_of(cls: str) -> str:
    """The fill colour (``#RRGGBB``) of a class: its family's colour."""
    return FAMILY_COLORS[family_of(cls)]


def shape_of(cls: str) -> str:
    """The vis-network shape of a class (``dot`` for an unknown one)."""
    return _CLASS_TABLE.get(str(cls), ("other", "dot"))[1]


def marker_of(cls: str) -> str:
    """The matplotlib marker of a class."""
    return MPL_MARKERS[shape_of(cls)]


def border_of(color: str, factor: float = 0.65) -> str:
    """A darker shade of ``color`` for outlines."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#%02x%02x%02x" % (int(r * factor), int(g * factor), int(b * factor))
