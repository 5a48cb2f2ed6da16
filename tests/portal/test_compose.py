"""docker-compose.yml and the Dockerfile describe a stack this project can actually run.

No Docker engine runs here, so these tests read both files and check every command they
name against the project: the executables are installed, the WSGI and Celery apps import
under the production settings, the management commands and their options exist, and the
web container's health check passes against a real gunicorn started the same way.
"""

from __future__ import annotations

import functools
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from django.conf import settings

from tests.smtp import free_port

ROOT = Path(settings.BASE_DIR)
VENV_BIN = Path(sys.executable).parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "web", "worker", "beat"]
# Started only with `--profile nodes`: a second web node and worker behind a proxy.
NODES = ["web2", "worker2", "proxy"]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def command(service: str) -> list[str]:
    value = SERVICES[service]["command"]
    return shlex.split(value) if isinstance(value, str) else list(value)


def dockerfile_instruction(name: str) -> list[str]:
    """Every `name` instruction of the final stage, continuation lines joined."""
    final_stage = re.split(r"^FROM\s", DOCKERFILE, flags=re.M)[-1]
    joined = re.sub(r"\\\n\s*", " ", final_stage)
    return [m.group(1) for m in re.finditer(rf"^{name}\s+(.+)$", joined, flags=re.M)]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        host = quote(host, safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    # The maintenance database: the checks below only ask the server to answer.
    return f"postgres://{db['USER']}@{host}{port}/postgres"


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a container, with this machine's PostgreSQL and Redis."""
    return {
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(Path.home()),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.TEST_REDIS_URL,
        "ALLOWED_HOSTS": "portal.example.dk",
        **extra,
    }


def run(args: list[str], env: dict[str, str] | None = None, timeout: int = 60):
    return subprocess.run(
        args,
        cwd=ROOT,
        env=env or production_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


PROBE = """
import importlib, json, sys
import django
django.setup()
from celery.app.utils import find_app
from django.core.management import get_commands, load_command_class

request = json.loads(sys.argv[1])
answer = {"wsgi": {}, "celery": {}, "manage": {}}
for spec in request["wsgi"]:
    module, _, attribute = spec.partition(":")
    answer["wsgi"][spec] = callable(getattr(importlib.import_module(module), attribute))
for name in request["celery"]:
    app = find_app(name)
    app.loader.import_default_modules()
    scheduled = [entry["task"] for entry in app.conf.beat_schedule.values()]
    answer["celery"][name] = {
        "scheduled": scheduled,
        "missing": [task for task in scheduled if task not in app.tasks],
    }
commands = get_commands()
for argv in request["manage"]:
    name, options = argv[0], argv[1:]
    if name not in commands:
        answer["manage"][name] = "no such command"
        continue
    parser = load_command_class(commands[name], name).create_parser("manage.py", name)
    try:
        parser.parse_args(options)
        answer["manage"][name] = "ok"
    except SystemExit:
        answer["manage"][name] = "bad options: " + " ".join(options)
print(json.dumps(answer))
"""


def _manage_commands() -> list[list[str]]:
    found = [command(s)[2:] for s in APP_SERVICES if command(s)[:2] == ["python", "manage.py"]]
    for run_line in dockerfile_instruction("RUN"):
        for match in re.finditer(r"manage\.py ((?:[\w-]+(?:=\S+)?\s*)+)", run_line):
            found.append(match.group(1).split())
    return found


def _gunicorn_apps() -> list[str]:
    commands = [command(s) for s in APP_SERVICES] + [json.loads(dockerfile_instruction("CMD")[0])]
    return [c[1] for c in commands if c[0] == "gunicorn"]


def _celery_apps() -> list[str]:
    return [
        command(s)[command(s).index("-A") + 1] for s in APP_SERVICES if command(s)[0] == "celery"
    ]


@pytest.fixture(scope="module")
def project():
    """What the production image would find when it runs the commands named above."""
    request = {"wsgi": _gunicorn_apps(), "celery": _celery_apps(), "manage": _manage_commands()}
    result = run([sys.executable, "-c", PROBE, json.dumps(request)])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_stack_has_its_six_services():
    default = {name for name, service in SERVICES.items() if not service.get("profiles")}

    assert default == {"postgres", "redis", "migrate", "web", "worker", "beat"}


def test_the_nodes_profile_adds_a_web_node_and_a_worker_behind_a_proxy_and_no_beat():
    profiled = {name for name, service in SERVICES.items() if service.get("profiles")}

    assert profiled == set(NODES)
    assert all(SERVICES[name]["profiles"] == ["nodes"] for name in NODES)
    # The same container, command, settings and media volume as the first of each.
    for copy, original in (("web2", "web"), ("worker2", "worker")):
        for key in ("image", "command", "environment", "volumes", "depends_on", "healthcheck"):
            assert SERVICES[copy][key] == SERVICES[original][key], (copy, key)
    assert not SERVICES["web2"]["ports"]  # reached through the proxy only
    assert not any("beat" in " ".join(command(name)) for name in ("web2", "worker2"))


def test_the_proxy_shares_the_requests_between_both_web_nodes():
    proxy = SERVICES["proxy"]
    mount = next(v for v in proxy["volumes"] if v.endswith("/etc/nginx/conf.d/default.conf:ro"))
    config = (ROOT / mount.split(":")[0]).read_text(encoding="utf-8")
    upstream = re.search(r"upstream portal \{(.*?)\}", config, re.S).group(1)
    port = next(a for a in command("web") if a.startswith("--bind=")).rsplit(":", 1)[1]

    assert proxy["image"].startswith("nginx:")
    assert re.findall(r"server (\S+?)[ ;]", upstream) == [f"web:{port}", f"web2:{port}"]
    assert "proxy_pass http://portal;" in config
    assert "X-Forwarded-Proto" in config
    assert proxy["ports"] == ["127.0.0.1:8080:80"]
    assert {"web", "web2"} <= set(proxy["depends_on"])


def test_postgres_is_healthy_only_when_it_accepts_connections():
    postgres = SERVICES["postgres"]

    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])


def test_redis_has_a_health_check():
    redis = SERVICES["redis"]

    assert redis["image"].startswith("redis:7")
    assert "redis-cli ping" in " ".join(redis["healthcheck"]["test"])


def test_the_application_services_run_the_image_built_from_the_dockerfile():
    images = set()
    for name in APP_SERVICES:
        build = SERVICES[name]["build"]
        assert (ROOT / build["context"] / build.get("dockerfile", "Dockerfile")).is_file()
        images.add(SERVICES[name]["image"])
    assert len(images) == 1


def test_migrate_runs_once_the_database_is_healthy():
    migrate = SERVICES["migrate"]

    assert command("migrate") == ["python", "manage.py", "migrate", "--no-input"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_web_and_celery_start_only_after_migrate_succeeded(service):
    depends = SERVICES[service]["depends_on"]

    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert depends["redis"]["condition"] == "service_healthy"


def test_web_is_gunicorn_with_several_workers_and_a_health_check():
    web = command("web")

    assert web[:2] == ["gunicorn", "portal.wsgi:application"]
    workers = next(int(a.split("=")[1]) for a in web if a.startswith("--workers="))
    assert workers > 1
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_worker_and_beat_run_the_portal_celery_app():
    assert command("worker")[:4] == ["celery", "-A", "portal", "worker"]
    assert command("beat")[:4] == ["celery", "-A", "portal", "beat"]


@functools.cache
def required_by_production() -> tuple[str, ...]:
    """The variables the production settings name when started without any."""
    env = {k: v for k, v in production_env().items() if k in {"PATH", "HOME", "LANG"}}
    result = run([sys.executable, "-c", "import portal.settings.production"], env)
    match = re.search(r"need these environment variables: (.+)", result.stderr)
    assert match, result.stderr
    return tuple(name.strip() for name in match.group(1).split(","))


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_variable_production_requires_is_set(service):
    environment = SERVICES[service]["environment"]
    required = required_by_production()

    assert set(required) >= {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"}
    for name in required:
        assert environment.get(name), f"{service} lacks {name}"
    assert environment["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_mail_and_links_are_configured(service):
    environment = SERVICES[service]["environment"]

    for name in ("EMAIL_HOST", "EMAIL_PORT", "DEFAULT_FROM_EMAIL", "PORTAL_BASE_URL"):
        assert environment.get(name), f"{service} lacks {name}"


def test_the_database_url_points_at_the_postgres_service():
    environment = SERVICES["web"]["environment"]

    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://:${REDIS_PASSWORD")
    assert "}@redis:6379/" in environment["REDIS_URL"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_executable_the_services_run_is_installed(service):
    executable = command(service)[0]

    if executable == "python":
        assert command(service)[1] == "manage.py"
        assert (ROOT / "manage.py").is_file()
    else:
        assert (VENV_BIN / executable).is_file(), f"{executable} is not installed"


def test_the_wsgi_application_gunicorn_serves_imports_in_production(project):
    assert project["wsgi"] == {"portal.wsgi:application": True}


def test_the_celery_app_knows_every_task_in_its_beat_schedule(project):
    portal = project["celery"]["portal"]

    assert portal["scheduled"], "the beat schedule is empty"
    assert portal["missing"] == []


def test_every_management_command_named_exists_with_those_options(project):
    assert set(project["manage"]) >= {"migrate", "compilemessages", "collectstatic"}
    assert all(state == "ok" for state in project["manage"].values()), project["manage"]


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_accepts_the_options_it_is_given(service):
    result = run([str(VENV_BIN / "celery"), *command(service)[1:], "--help"])

    assert result.returncode == 0, result.stderr


def test_gunicorn_accepts_the_options_it_is_given():
    result = run([str(VENV_BIN / "gunicorn"), "--check-config", *command("web")[1:]])

    assert result.returncode == 0, result.stderr + result.stdout


def test_the_web_health_check_passes_against_a_running_gunicorn():
    port = free_port()
    web = [
        f"--bind=127.0.0.1:{port}" if arg.startswith("--bind") else arg for arg in command("web")
    ]
    web = [a for a in web if not a.startswith("--workers")] + ["--workers=1"]
    probe = [a.replace(":8000/", f":{port}/") for a in SERVICES["web"]["healthcheck"]["test"]]
    assert probe[0] == "CMD"
    env = production_env()
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), *web[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            result = run([sys.executable if probe[1] == "python" else probe[1], *probe[2:]], env)
            if result.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert result.returncode == 0, result.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_image_starts_gunicorn_by_default():
    (cmd,) = dockerfile_instruction("CMD")
    default = json.loads(cmd)

    assert default[:2] == ["gunicorn", "portal.wsgi:application"]
    assert (VENV_BIN / "gunicorn").is_file()
    assert not dockerfile_instruction("ENTRYPOINT")


def test_the_image_runs_as_an_unprivileged_user():
    users = dockerfile_instruction("USER")

    assert users
    assert users[-1] not in {"root", "0"}


def test_the_image_has_the_system_libraries_weasyprint_needs():
    installs = " ".join(dockerfile_instruction("RUN"))

    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz0b",
        "libffi8",
        "shared-mime-info",
        "fonts-dejavu-core",
        "gettext",
    ):
        assert package in installs


def test_the_image_is_built_from_python_3_11_on_debian_bookworm():
    bases = re.findall(r"^FROM\s+(\S+)", DOCKERFILE, flags=re.M)

    assert bases
    assert all(base == "python:3.11-slim-bookworm" for base in bases)


def test_every_file_the_dockerfile_copies_exists():
    for line in re.findall(r"^COPY\s+(?!--from)(.+)$", DOCKERFILE, flags=re.M):
        *sources, _target = line.split()
        for source in sources:
            assert source == "." or (ROOT / source).exists(), source


def test_the_build_does_not_leave_the_build_flag_set_for_running_containers():
    assert "PORTAL_BUILD" not in " ".join(dockerfile_instruction("ENV"))
    assert "PORTAL_BUILD" not in " ".join(
        str(v) for s in APP_SERVICES for v in SERVICES[s]["environment"]
    )


def test_local_dependencies_and_secrets_stay_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()

    for path in (".venv", "node_modules", "var", ".git", ".env"):
        assert path in ignored


def test_the_env_file_with_the_secrets_is_never_committed():
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "--quiet", ".env"], cwd=ROOT, check=False
    )

    assert result.returncode == 0, ".env is not in .gitignore"


def compose_value(text: str, env: dict[str, str]) -> str:
    """What compose makes of ${NAME}, ${NAME:-default}, ${NAME:?error} and $$ in a value."""

    def replace(match: re.Match) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        value = env.get(name, "")
        if operator == ":?" and not value:
            raise AssertionError(f"compose would stop: {rest}")
        if operator == ":-" and not value:
            return rest
        return value

    text = re.sub(r"\$\{(\w+)(?:(:[?-])([^}]*))?\}", replace, text)
    return text.replace("$$", "$")


def test_redis_answers_only_with_the_password_the_portal_is_given(tmp_path):
    env = {"REDIS_PASSWORD": secrets.token_hex(24)}
    redis_service = SERVICES["redis"]
    port = free_port()
    server = subprocess.Popen(
        [compose_value(arg, env) for arg in command("redis")]
        + ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path), "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    try:
        stranger = redis.Redis(port=port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                stranger.ping()
            except redis.exceptions.AuthenticationError:
                break  # up, and refusing a client without the password
            except redis.exceptions.ConnectionError:
                assert time.monotonic() < deadline, "redis did not start"
                time.sleep(0.1)
            else:
                raise AssertionError("Redis answered a client without the password")

        url = compose_value(SERVICES["web"]["environment"]["REDIS_URL"], env)
        assert "@redis:6379/" in url
        assert redis.Redis.from_url(url.replace("@redis:6379/", f"@127.0.0.1:{port}/")).ping()

        kind, check = redis_service["healthcheck"]["test"]
        assert kind == "CMD-SHELL"
        check = compose_value(check, env).replace("redis-cli", f"redis-cli -p {port}")
        service_env = {k: compose_value(v, env) for k, v in redis_service["environment"].items()}
        healthy = subprocess.run(["sh", "-c", check], env={**os.environ, **service_env})
        unhealthy = subprocess.run(["sh", "-c", check], env=dict(os.environ))
        assert healthy.returncode == 0
        assert unhealthy.returncode != 0, "the health check passes without the password"
    finally:
        server.kill()
        server.wait(10)
