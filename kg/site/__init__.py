"""Linked-data publishing: one resource's description (describe), its HTML page (pages), the
site written to a folder (static), the service description and query examples (service)."""
