"""newskg: knowledge graphs of diplomacy from French news articles."""

__version__ = "0.1.0"
