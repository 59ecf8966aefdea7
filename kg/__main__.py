"""``python -m kg`` runs the CLI (used where the ``kg`` script is not on PATH)."""

from kg.cli import main

if __name__ == "__main__":
    main()
