"""Build stage: load and check the curated YAML, attach the report text, build RDF, write outputs."""
