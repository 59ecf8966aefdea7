"""kg: turn library-conference reports into a knowledge graph people trust, query and show.

>>> from kg import api
>>> dataset = api.build_dataset("data")           # doctest: +SKIP
"""

__version__ = "0.1.0"
