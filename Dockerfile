# The platform's image: gunicorn for the web, the same image for the Celery worker and beat.
#   docker build -t incubator .   (docker-compose.yml builds and runs the whole stack)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext compiles the translations (locale/*.po) at build time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# A build-time key only: the running container refuses to start without a real SECRET_KEY.
RUN DJANGO_DEBUG=false SECRET_KEY=build-time-only-key-not-used-at-run-time VAR_DIR=/tmp/build-var \
      python manage.py collectstatic --noinput --verbosity 0 \
 && DJANGO_DEBUG=false SECRET_KEY=build-time-only-key-not-used-at-run-time VAR_DIR=/tmp/build-var \
      python manage.py compilemessages --verbosity 0 \
 && rm -rf /tmp/build-var

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin incubator \
 && mkdir -p /app/var/media \
 && chown -R incubator:incubator /app/var
USER incubator

ENV DJANGO_DEBUG=false \
    VAR_DIR=/app/var
EXPOSE 8000
CMD ["gunicorn", "incubator.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
