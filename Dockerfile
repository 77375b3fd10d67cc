# The portal's image: gunicorn for the web, the same image for the migrate one-off, Celery workers and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# postgresql-client-15: pg_dump, pg_restore and psql of the server's major version (docker-compose.yml's
# postgres:15), for manage.py backup and restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 portal

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Static files and translations are built into the image; SECRET_KEY and EMAIL_URL here only satisfy the
# settings check. docker-compose.yml's migrate service collects the static files again into the volume the
# proxy serves.
RUN DEBUG=0 SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only EMAIL_URL=console:// python manage.py collectstatic --noinput \
    && DEBUG=0 SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only EMAIL_URL=console:// python manage.py compilemessages --ignore='.venv/*' \
    && mkdir -p /app/var/media && chown -R portal /app/var
# The commit the image was built from, for the manifest of manage.py backup (the image has no .git).
ARG PORTAL_COMMIT=""
ENV PORTAL_COMMIT=${PORTAL_COMMIT}

USER portal
EXPOSE 8000
CMD ["gunicorn", "innovasi.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-"]
