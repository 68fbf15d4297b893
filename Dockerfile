FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=certportal.settings.prod
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      fonts-dejavu-core curl postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only-$(python -c "print('x'*60)") ALLOWED_HOSTS=build python manage.py collectstatic --noinput
RUN useradd --create-home portal && mkdir -p /data/private /app/var && chown portal /data/private /app/var
USER portal
EXPOSE 8000
# The same start scripts as docker-compose.yml and the production smoke test (deploy/): web by default;
# compose runs deploy/migrate, deploy/worker and deploy/beat from this image too.
CMD ["deploy/web"]
