"""leaktrace: the investigator's workbench for personal-data trafficking and breach cases."""

__version__ = "0.1.0"
