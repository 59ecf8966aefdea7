"""Review stage: decide the proposals `kg ingest` drafted, in a local page or from scripts.

``decisions`` (validate, save, undo), ``yamledit`` (comment-keeping YAML writes),
``proposals`` (read the draft), ``batch`` (command-line decisions), ``server`` (the page).
"""
