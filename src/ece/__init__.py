"""ECE — Elite Card Exchange."""

__version__ = "0.1.0"
