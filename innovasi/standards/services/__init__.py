"""Writes of the standards app, one module per subject: ``catalogues`` (loading the indicator catalogues and
the urusan) and ``cycles`` (a region's cycles, their stages and dates, and OPDs' deadline extensions)."""

from .catalogues import (
    DATA_DIR,
    GUIDANCE_LISTS,
    GUIDANCE_TEXTS,
    SHIPPED_CATALOGUES,
    URUSAN_FILE,
    CatalogueError,
    LoadResult,
    catalogue_changed,
    catalogue_load,
    catalogue_parse,
    shipped_catalogue_files,
    shipped_standards_load,
    urusan_load,
    urusan_parse,
)

__all__ = [
    "DATA_DIR",
    "GUIDANCE_LISTS",
    "GUIDANCE_TEXTS",
    "SHIPPED_CATALOGUES",
    "URUSAN_FILE",
    "CatalogueError",
    "LoadResult",
    "catalogue_changed",
    "catalogue_load",
    "catalogue_parse",
    "shipped_catalogue_files",
    "shipped_standards_load",
    "urusan_load",
    "urusan_parse",
]
