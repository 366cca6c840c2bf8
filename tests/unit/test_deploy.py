"""The hub configurations in deploy/: they load, say what they must, and agree with each other.

Nothing here runs Kubernetes, Docker or an identity provider. The Helm values are checked against
the Zero to JupyterHub chart's own schema when ``PAP_Z2JH_CHART`` names a checkout of the chart
folder (``jupyterhub/`` in jupyterhub/zero-to-jupyterhub-k8s, holding values.yaml and
values.schema.yaml); without it, that one test is skipped and says so.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
LANDING = "/voila/render/modules/index.ipynb"


def _load_config(name: str, env: dict, monkeypatch) -> object:
    for k in [k for k in os.environ if k.startswith(("PAP_", "OAUTH_"))]:
        monkeypatch.delenv(k)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return PyFileConfigLoader(name, path=str(DEPLOY)).load_config()


BASE_ENV = {
    "PAP_HUB_PUBLIC_URL": "https://pd.school.example/",
    "PAP_DATABASE_URL": "postgresql+psycopg://pap:pw@db/pap",
}


def test_school_config_google(monkeypatch):
    env = {**BASE_ENV, "PAP_HUB_AUTH": "google", "PAP_GOOGLE_DOMAINS": "school.example"}
    c = _load_config("jupyterhub_config.py", env, monkeypatch)
    assert c.JupyterHub.authenticator_class == "google"
    assert c.GoogleOAuthenticator.hosted_domain == ["school.example"]
    assert c.GoogleOAuthenticator.allow_all is True
    assert (
        c.GoogleOAuthenticator.oauth_callback_url
        == "https://pd.school.example/hub/oauth_callback"
    )
    assert c.Spawner.environment == {"PAP_DATABASE_URL": env["PAP_DATABASE_URL"]}
    assert c.Spawner.default_url == LANDING
    assert c.JupyterHub.spawner_class == "dockerspawner.DockerSpawner"


def test_school_config_entra(monkeypatch):
    env = {**BASE_ENV, "PAP_HUB_AUTH": "entra", "PAP_ENTRA_TENANT_ID": "t-123"}
    c = _load_config("jupyterhub_config.py", env, monkeypatch)
    assert c.JupyterHub.authenticator_class == "azuread"
    assert c.AzureAdOAuthenticator.tenant_id == "t-123"
    # The display name (OAuthenticator's default for Entra) is not unique; the sign-in name is.
    assert c.AzureAdOAuthenticator.username_claim == "preferred_username"


def test_school_config_lti13(monkeypatch):
    env = {
        **BASE_ENV,
        "PAP_HUB_AUTH": "lti13",
        "PAP_LTI13_ISSUER": "https://lms.example",
        "PAP_LTI13_CLIENT_IDS": "125, 126",
        "PAP_LTI13_AUTHORIZE_URL": "https://lms.example/auth",
        "PAP_LTI13_JWKS_ENDPOINT": "https://lms.example/jwks",
    }
    c = _load_config("jupyterhub_config.py", env, monkeypatch)
    assert c.JupyterHub.authenticator_class == "ltiauthenticator.lti13.auth.LTI13Authenticator"
    assert c.LTI13Authenticator.client_id == ["125", "126"]
    assert c.Authenticator.allow_all is True


@pytest.mark.parametrize(
    "env, missing",
    [
        ({"PAP_HUB_AUTH": "google"}, "PAP_HUB_PUBLIC_URL"),
        ({**BASE_ENV, "PAP_HUB_AUTH": "google"}, "PAP_GOOGLE_DOMAINS"),
        ({**BASE_ENV, "PAP_HUB_AUTH": "entra"}, "PAP_ENTRA_TENANT_ID"),
        ({**BASE_ENV, "PAP_HUB_AUTH": "saml"}, "PAP_HUB_AUTH"),
    ],
)
def test_school_config_names_what_is_missing(env, missing, monkeypatch):
    with pytest.raises(SystemExit, match=missing):
        _load_config("jupyterhub_config.py", env, monkeypatch)


def test_local_test_config_stays_on_loopback(tmp_path, monkeypatch):
    env = {
        "PAP_HUB_STATE_DIR": str(tmp_path),
        "PAP_HUB_PASSWORD": "a-long-password",
        "PAP_HUB_USERS": "ana, ben",
        "PAP_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1/x",
    }
    c = _load_config("jupyterhub_config_local_test.py", env, monkeypatch)
    assert c.JupyterHub.ip == c.JupyterHub.hub_ip == "127.0.0.1"
    assert c.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert c.Authenticator.allowed_users == {"ana", "ben"}
    assert c.Spawner.environment["PAP_DATABASE_URL"] == env["PAP_DATABASE_URL"]
    assert c.Spawner.notebook_dir == str(ROOT)
    assert c.Spawner.default_url == LANDING
    # voila.json names the kit's page template; the users' servers must be able to find it.
    template = json.loads((ROOT / "voila.json").read_text())["VoilaConfiguration"].get("template")
    if template:
        found = [
            Path(p) / "voila" / "templates" / template
            for p in c.Spawner.environment["JUPYTER_PATH"].split(os.pathsep)
        ]
        assert any(d.is_dir() for d in found), found
        assert "ENV JUPYTER_PATH=/opt/parents-as-partners/share/jupyter" in (
            DEPLOY / "Dockerfile"
        ).read_text()


def _values() -> dict:
    return yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())


def test_mail_settings_reach_users_servers_like_the_database(monkeypatch):
    smtp = {"PAP_SMTP_URL": "smtp://office:pw@mail.school.example:587",
            "PAP_SMTP_FROM": "office@school.example"}
    env = {**BASE_ENV, "PAP_HUB_AUTH": "google", "PAP_GOOGLE_DOMAINS": "school.example", **smtp}
    c = _load_config("jupyterhub_config.py", env, monkeypatch)
    assert c.Spawner.environment == {"PAP_DATABASE_URL": env["PAP_DATABASE_URL"], **smtp}
    local = {"PAP_HUB_PASSWORD": "a-long-test-password", "PAP_HUB_USERS": "ana", **smtp}
    c = _load_config("jupyterhub_config_local_test.py", local, monkeypatch)
    assert {k: c.Spawner.environment[k] for k in smtp} == smtp
    su = _values()["singleuser"]["extraEnv"]
    for k in smtp:
        ref = su[k]["valueFrom"]["secretKeyRef"]
        assert ref["name"] == "pap-secrets" and ref["optional"] is True


def test_helm_values_say_what_the_kit_needs():
    v = _values()
    su = v["singleuser"]
    assert su["defaultUrl"] == LANDING
    ref = su["extraEnv"]["PAP_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
    assert ref["name"] and ref["key"]
    assert su["storage"]["type"] == "none"
    assert su["image"]["name"] and su["image"]["tag"]
    # Traitlets sections must be class names; secrets come from the Kubernetes secret only.
    assert all(k[:1].isupper() for k in v["hub"]["config"])
    assert _literal_secrets(v) == [], "write secrets into the Kubernetes secret, not values.yaml"


def _literal_secrets(node, path: str = "") -> list[str]:
    """Paths of secret-looking keys given a literal value (a secretKeyRef is fine)."""
    found = []
    if isinstance(node, dict):
        for k, val in node.items():
            here = f"{path}.{k}"
            if any(w in k.lower() for w in ("secret", "password")) and isinstance(val, str | int):
                found.append(here)
            found += _literal_secrets(val, here)
    return found


def _merge(a: dict, b: dict) -> dict:
    out = copy.deepcopy(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def test_helm_values_match_the_chart_schema():
    chart = os.environ.get("PAP_Z2JH_CHART")
    if not chart:
        pytest.skip("PAP_Z2JH_CHART not set: no Zero to JupyterHub chart folder to check against")
    import jsonschema

    chart_dir = Path(chart)
    schema = yaml.safe_load((chart_dir / "values.schema.yaml").read_text())
    defaults = yaml.safe_load((chart_dir / "values.yaml").read_text())
    # Helm validates the chart's defaults merged with ours, as here.
    errors = [
        f"{'.'.join(map(str, e.path))}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(_merge(defaults, _values()))
    ]
    assert errors == []


def test_hub_kernel_culling_matches_voila_json():
    """One culling policy: the single-user servers' config repeats voila.json's values."""
    voila = json.loads((ROOT / "voila.json").read_text())["MappingKernelManager"]
    server = json.loads((DEPLOY / "jupyter_server_config.json").read_text())
    assert server["MappingKernelManager"] == voila
    assert server["ServerApp"]["root_dir"] == "/opt/parents-as-partners"
    assert "/opt/parents-as-partners" in (DEPLOY / "Dockerfile").read_text()
