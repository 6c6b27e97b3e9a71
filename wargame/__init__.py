"""wargame: a command-line, turn-based Indo-Pacific crisis wargame."""

__version__ = "0.1.0"
