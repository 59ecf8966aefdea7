"""Extraction stage: turn a report's text into a draft data folder (sections, names, proposals)."""
