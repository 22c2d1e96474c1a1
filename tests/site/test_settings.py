"""Settings come from the environment; each case runs Django in a fresh interpreter."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), "
    "'host': db.get('HOST'), 'options': db.get('OPTIONS', {}), "
    "'email_backend': settings.EMAIL_DELIVERY_BACKEND, 'queue': settings.EMAIL_BACKEND, "
    "'email_host': settings.EMAIL_HOST, "
    "'email_port': settings.EMAIL_PORT, 'email_tls': settings.EMAIL_USE_TLS, "
    "'cache': settings.CACHES['default']['BACKEND'], 'tasks': settings.TASKS}))"
)


def run_django(settings_module: str, code: str = PROBE, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "EMAIL_URL", "REDIS_URL", "VAR_DIR"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def probe(settings_module: str = "urbanexchange.settings.dev", **env: str) -> dict:
    result = run_django(settings_module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sqlite_under_var_is_the_default_and_is_tuned_for_concurrent_workers(tmp_path):
    config = probe(VAR_DIR=str(tmp_path))
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["name"] == str(tmp_path / "db.sqlite3")
    assert config["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["options"]["init_command"]
    assert config["options"]["timeout"] >= 5


def test_database_url_is_honoured():
    config = probe(DATABASE_URL="postgres://ux:secret@db.internal:5432/urbanexchange")
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["name"] == "urbanexchange"
    assert config["host"] == "db.internal"
    assert "transaction_mode" not in config["options"]


def test_email_url_configures_smtp():
    config = probe(EMAIL_URL="smtp://mailer:pw@smtp.example.org:587?tls=1")
    assert config["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["email_host"], config["email_port"], config["email_tls"]) == (
        "smtp.example.org",
        587,
        True,
    )


def test_every_environment_queues_what_django_and_wagtail_send():
    assert probe()["queue"] == "core.mail.QueueingBackend"
    assert probe(EMAIL_URL="smtp://smtp.example.org:587")["queue"] == "core.mail.QueueingBackend"


def test_development_writes_mail_to_files(tmp_path):
    config = probe(VAR_DIR=str(tmp_path))
    assert config["email_backend"] == "django.core.mail.backends.filebased.EmailBackend"
    assert (tmp_path / "mail").is_dir()


def test_redis_url_switches_the_cache_to_redis():
    assert probe(REDIS_URL="redis://127.0.0.1:6379/1")["cache"].endswith("RedisCache")


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("urbanexchange.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_shares_its_cache_between_workers(tmp_path):
    # Without Redis a file cache: a publication must reach every worker's cached library.
    config = probe("urbanexchange.settings.production", SECRET_KEY="x" * 64, VAR_DIR=str(tmp_path))
    assert config["cache"].endswith("FileBasedCache")
    with_redis = probe(
        "urbanexchange.settings.production", SECRET_KEY="x" * 64, REDIS_URL="redis://127.0.0.1/1"
    )
    assert with_redis["cache"].endswith("RedisCache")


def test_production_queues_tasks_in_the_database():
    config = probe("urbanexchange.settings.production", SECRET_KEY="x" * 64)
    assert config["tasks"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_production_settings_pass_the_deployment_checklist():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "EMAIL_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="urbanexchange.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="urbanexchange.example.org",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
