"""The upload checks, for the apps that import them from here: they live in ``innovasi.uploads`` so that the
bottom layer (a region's logo, in ``innovasi.accounts``) checks its uploads the same way."""

from innovasi.uploads import KIND_BY_EXTENSION, KIND_BY_MIME, kinds_label, safe_name, upload_check

__all__ = ["KIND_BY_EXTENSION", "KIND_BY_MIME", "kinds_label", "safe_name", "upload_check"]
