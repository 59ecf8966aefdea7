"""SPARQL stage: the query engine (Oxigraph), the query library, the endpoint, push to a store."""
