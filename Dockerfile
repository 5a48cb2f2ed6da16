# One image for every process of the production stack (see docker-compose.yml): web
# (gunicorn), worker and beat (celery), and the one-shot migrate.

# --- Front-end assets: the design system and htmx, installed by npm from the lock file ---
FROM python:3.11-slim-bookworm AS assets

RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# axe-core is a development dependency (browser tests); the image does not need it.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error


# --- The application ---
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=portal.settings.production

# WeasyPrint renders PDFs with Pango and HarfBuzz and needs a font and MIME types;
# gettext's msgfmt compiles the Danish translations below; espeak-ng speaks the children's
# questionnaire in Danish (the wellbeing app).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libffi8 \
        shared-mime-info fonts-dejavu-core gettext espeak-ng \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system portal \
    && useradd --system --gid portal --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin portal

WORKDIR /app

# Dependencies first, so a code change does not reinstall them: exactly the hash-locked
# production set (requirements/production.txt; no embedded PostgreSQL or Redis, no tools).
COPY requirements/production.txt ./requirements/
RUN pip install --require-hashes --no-deps -r requirements/production.txt

COPY --from=assets /app/node_modules ./node_modules
COPY . .

# No secrets exist at build time. PORTAL_BUILD=1 lets the production settings load with
# placeholders for exactly these two commands (see portal/settings/production.py); it is
# not set in the image, so nothing that runs later can use it.
RUN PORTAL_BUILD=1 python manage.py compilemessages --ignore=node_modules -v 0 \
    && PORTAL_BUILD=1 python manage.py collectstatic --no-input -v 0 \
    && mkdir -p var/media \
    && chown -R portal:portal var

USER portal
EXPOSE 8000

CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60", "--access-logfile", "-"]
