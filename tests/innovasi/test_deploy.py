"""The production stack as docker-compose.yml and the Caddyfile describe it (README.md, "Production").

The file is read as YAML (merge keys resolved) and checked for what the stack promises: a TLS proxy that
alone publishes ports, migrations in one one-off service that the others wait for, a health check on every
service that stays up, and the variables that must come from .env. Where Docker's compose plugin (or a
docker-compose program) is installed, ``docker compose config`` checks the file as Docker reads it too; where
Caddy is installed, ``caddy validate`` checks the Caddyfile.
"""

import re
import shutil
import subprocess

import pytest
import yaml

from .test_settings import ROOT

COMPOSE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "Caddyfile"
SERVICES = {"proxy", "web", "worker", "beat", "migrate", "db", "redis"}
LONG_RUNNING = SERVICES - {"migrate"}
PORTAL = {"web", "worker", "beat"}
REQUIRED = {
    "SECRET_KEY",
    "POSTGRES_PASSWORD",
    "PORTAL_HOST",
    "ALLOWED_HOSTS",
    "PORTAL_BASE_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
}
ENV = {
    "SECRET_KEY": "k" * 64,
    "POSTGRES_PASSWORD": "database-password",
    "PORTAL_HOST": "inovasi.example.go.id",
    "ALLOWED_HOSTS": "inovasi.example.go.id",
    "PORTAL_BASE_URL": "https://inovasi.example.go.id",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.go.id:587",
    "DEFAULT_FROM_EMAIL": "Portal Inovasi Daerah <inovasi@example.go.id>",
}


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]


def test_compose_has_the_services_of_the_stack(services):
    assert set(services) == SERVICES


def test_compose_every_long_running_service_has_a_health_check_and_restarts(services):
    checks = {name: services[name].get("healthcheck", {}).get("test") for name in LONG_RUNNING}
    restarts = {name: services[name]["restart"] for name in SERVICES}

    assert [name for name, test in checks.items() if not test] == []
    assert restarts == {**dict.fromkeys(LONG_RUNNING, "unless-stopped"), "migrate": "no"}


def test_compose_portal_services_wait_for_migrate_and_healthy_db_and_redis(services):
    conditions = {
        name: {dependency: rule["condition"] for dependency, rule in services[name]["depends_on"].items()}
        for name in PORTAL
    }

    expected = {
        "migrate": "service_completed_successfully",
        "db": "service_healthy",
        "redis": "service_healthy",
    }
    assert conditions == {"web": expected, "worker": expected, "beat": expected}
    assert services["migrate"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


def test_compose_only_migrate_migrates_and_collects_the_static_files_the_proxy_serves(services):
    commands = {name: str(services[name].get("command", "")) for name in PORTAL | {"migrate"}}

    assert [name for name, command in commands.items() if "migrate" in command.split()] == ["migrate"]
    assert "collectstatic" in commands["migrate"]
    assert "static:/app/var/static" in services["migrate"]["volumes"]
    assert "static:/srv/static:ro" in services["proxy"]["volumes"]


def test_compose_only_the_proxy_publishes_ports_80_and_443(services):
    published = {name: services[name].get("ports") for name in SERVICES if services[name].get("ports")}

    assert published == {"proxy": ["80:80", "443:443", "443:443/udp"]}
    assert "ports" not in services["web"]  # docker compose up --scale web=3


def test_compose_web_health_check_asks_healthz_plainly(services):
    test = " ".join(services["web"]["healthcheck"]["test"])

    assert "urlopen('http://127.0.0.1:8000/healthz', timeout=5)" in test
    assert "Host" not in test
    assert "X-Forwarded-Proto" not in test


def test_compose_requires_the_variables_the_readme_asks_for():
    text = COMPOSE.read_text(encoding="utf-8")

    assert set(re.findall(r"\$\{(\w+):\?", text)) == REQUIRED
    assert "${EMAIL_URL:-" not in text  # never the console by default


def test_compose_proxy_body_limit_follows_upload_max_mb(services):
    proxy, web = services["proxy"], services["web"]

    assert (
        proxy["environment"]["UPLOAD_MAX_MB"] == web["environment"]["UPLOAD_MAX_MB"] == "${UPLOAD_MAX_MB:-10}"
    )
    assert "export PROXY_BODY_LIMIT_MB=$$((UPLOAD_MAX_MB + 2))" in proxy["command"][-1]
    assert web["environment"]["BEHIND_TLS_PROXY"] == "1"


def test_caddyfile_limits_the_body_serves_static_and_redirects_http():
    text = CADDYFILE.read_text(encoding="utf-8")

    assert "max_size {$PROXY_BODY_LIMIT_MB:12}MiB" in text
    assert "handle /static/* {\n\t\troot * /srv\n" in text
    assert "dynamic a web 8000 {" in text  # every replica of web
    assert "tls {$PORTAL_TLS:internal}" in text
    assert "http://{$PORTAL_HOST:localhost} {\n\tredir https://{host}{uri} permanent\n}" in text
    assert "respond /health" in text  # the proxy's health check


def test_readme_env_example_sets_every_required_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    production = readme.split("## Production", 1)[1].split("\n## ", 1)[0]

    assert {name for name in REQUIRED if f"{name}=" not in production} == set()


def _compose_program():
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    if shutil.which("docker-compose"):
        return [shutil.which("docker-compose")]
    return None


def _compose_config(tmp_path, env):
    env_file = tmp_path / "env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in env.items()), encoding="utf-8")
    return subprocess.run(
        [*_compose_program(), "--env-file", str(env_file), "-f", str(COMPOSE), "config", "-q"],
        cwd=tmp_path,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(_compose_program() is None, reason="no docker compose plugin nor docker-compose here")
def test_docker_compose_config_accepts_the_file_with_the_required_variables(tmp_path):
    complete = _compose_config(tmp_path, ENV)
    missing = {name: _compose_config(tmp_path, {**ENV, name: ""}) for name in ("EMAIL_URL", "PORTAL_HOST")}

    assert (complete.returncode, complete.stderr) == (0, "")
    assert [
        (name, run.returncode != 0, f"set {name} in .env" in run.stderr) for name, run in missing.items()
    ] == [
        ("EMAIL_URL", True, True),
        ("PORTAL_HOST", True, True),
    ]


@pytest.mark.skipif(shutil.which("caddy") is None, reason="Caddy is not installed here")
def test_caddy_validates_the_caddyfile(tmp_path):
    result = subprocess.run(
        [shutil.which("caddy"), "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path),
            "PORTAL_HOST": "inovasi.example.go.id",
            "PROXY_BODY_LIMIT_MB": "12",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
