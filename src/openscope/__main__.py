"""``python -m openscope`` runs the command line."""

from openscope.cli.main import main

if __name__ == "__main__":
    main()
