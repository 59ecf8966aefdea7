"""Graph views: self-contained interactive HTML pages and static images for slides.

>>> from kg.viz import write_default_views                            # doctest: +SKIP
>>> write_default_views("out", "out/html", ["../shared/sources"])     # doctest: +SKIP
{'index': PosixPath('out/html/index.html'), 'graph': PosixPath('out/html/graph.html'), ...}
"""

from kg.viz.defaults import build_view, write_default_views  # noqa: F401

__all__ = ["build_view", "write_default_views"]
