"""DuckDB storage: the only package that speaks SQL."""

from vocmine.store.duck import Store, connect_read_only, read_path, snapshot_path, writer_active
from vocmine.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Store", "connect_read_only", "read_path", "snapshot_path", "writer_active"]
