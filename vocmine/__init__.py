"""vocmine: voice-of-customer mining from call audio and text feedback into DuckDB."""

__version__ = "0.1.0"
