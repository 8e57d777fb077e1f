"""Khaosan: a Git-driven publishing pipeline for Thai government offices."""

__version__ = "0.1.0"
