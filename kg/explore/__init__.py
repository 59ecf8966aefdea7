"""Explore stage: the networkx view of the RDF dataset, analytics, name resolution, exports."""
