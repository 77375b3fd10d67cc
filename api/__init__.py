"""The read-only JSON API under ``/api/v1/`` (django-ninja) and the personal access tokens it is read with."""
