"""DuckDB storage: the only package that speaks SQL."""

from vocmine.store.duck import Store, connect_read_only
from vocmine.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Store", "connect_read_only"]
