# The portal's image: gunicorn for the web, the same image for Celery workers and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 portal

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Static files and translations are built into the image; SECRET_KEY and EMAIL_URL here only satisfy the
# settings check.
RUN DEBUG=0 SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only EMAIL_URL=console:// python manage.py collectstatic --noinput \
    && DEBUG=0 SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only EMAIL_URL=console:// python manage.py compilemessages --ignore='.venv/*' \
    && mkdir -p /app/var/media && chown -R portal /app/var

USER portal
EXPOSE 8000
CMD ["gunicorn", "innovasi.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-"]
