"""`python -m wargame` runs the command-line interface."""

from wargame.cli.app import main

if __name__ == "__main__":
    main()
