"""The deploy files checked offline: the compose file, the Kubernetes manifests and the
Dockerfile say what a deployment needs (replicas, health checks on /_stcore/health, the shared
database from a secret, cookie affinity, one nginx template for compose and the local
cluster). `docker compose config` runs too where Docker is installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from dashboard import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
HEALTH = "/_stcore/health"


def _k8s() -> dict[str, dict]:
    docs = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            assert {"apiVersion", "kind", "metadata"} <= set(doc), path.name
            docs[doc["kind"]] = doc
    return docs


def test_the_kubernetes_manifests_run_replicas_with_probes_and_the_secret() -> None:
    docs = _k8s()
    assert {"Deployment", "Service", "Ingress", "Secret"} <= set(docs)
    spec = docs["Deployment"]["spec"]
    assert spec["replicas"] >= 2
    assert spec["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    (app,) = spec["template"]["spec"]["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert app[probe]["httpGet"]["path"] == HEALTH
    env = {e["name"]: e for e in app["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == "pve"
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]
    secret_keys = set(docs["Secret"]["stringData"])
    for e in env.values():
        assert e["valueFrom"]["secretKeyRef"]["key"] in secret_keys
    # the Service selects the Deployment's pods; the Ingress reaches the Service
    labels = spec["template"]["metadata"]["labels"]
    assert docs["Service"]["spec"]["selector"].items() <= labels.items()
    notes = docs["Ingress"]["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    backend = docs["Ingress"]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == docs["Service"]["metadata"]["name"]


def test_the_compose_file_has_replicas_postgres_and_nginx_with_the_cluster_template() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"app", "db", "proxy"} <= set(services)
    app = services["app"]
    assert "replicas" in app["deploy"] and "PVE_REPLICAS:-2" in str(app["deploy"]["replicas"])
    assert "@db:5432/" in app["environment"]["DATABASE_URL"]
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]
    assert HEALTH in " ".join(app["healthcheck"]["test"])
    proxy = services["proxy"]
    assert any("nginx/pve.conf.template" in v for v in proxy["volumes"])
    command = " ".join(proxy["command"])
    for placeholder in ("__LISTEN__", "__RUN_DIR__", "__BASE_PATH__", "__UPSTREAMS__"):
        assert placeholder in command  # the same template, filled in as cluster.sh fills it


def test_every_placeholder_of_the_nginx_template_is_filled_by_both_starters() -> None:
    template = (DEPLOY / "nginx" / "pve.conf.template").read_text(encoding="utf-8")
    used = set(re.findall(r"__[A-Z_]+__", template))
    assert used == {"__LISTEN__", "__RUN_DIR__", "__BASE_PATH__", "__UPSTREAMS__"}
    script = (PROJECT_ROOT / "scripts" / "cluster.sh").read_text(encoding="utf-8")
    assert all(p in script for p in used)
    for needed in ("Upgrade", "gzip on", "immutable", "hash $pve_route", "client_max_body_size"):
        assert needed in template


def test_the_dockerfile_is_slim_non_root_and_checks_health() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.M)
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in text and HEALTH in text
    assert "build-england" in text  # England built at image build when the files are given
    for path in re.findall(r"^COPY (\S+) ", text, re.M):
        assert (PROJECT_ROOT / path).exists(), path


def _compose() -> list[str] | None:
    """The Docker Compose command, when Docker and its compose plugin are installed."""
    docker = shutil.which("docker")
    if docker is None:
        return None
    found = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=60)
    return [docker, "compose"] if found.returncode == 0 else None


def test_docker_compose_accepts_the_file() -> None:
    compose = _compose()
    if compose is None:
        pytest.skip("Docker Compose is not installed here (the file is checked above without it)")
    done = subprocess.run(
        [*compose, "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
        env={**os.environ, "PVE_DB_PASSWORD": "x", "PVE_COOKIE_SECRET": "y"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
