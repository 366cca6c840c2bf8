"""JupyterHub for one school on one server: staff sign in with the school's accounts.

Every setting comes from the environment, so this file is used as it is (deploy/README.md says how
to start it). Each signed-in user gets their own container of the kit's user image
(deploy/Dockerfile) through DockerSpawner, opening on the kit's landing page; answers go to one
PostgreSQL database (``PAP_DATABASE_URL``), each hub user's own record kept as ``solo-<user name>``.

Sign-in, chosen with ``PAP_HUB_AUTH``:
  google  Google Workspace (OAuthenticator's GoogleOAuthenticator), limited to the school's domains
  entra   Microsoft Entra ID, formerly Azure AD (AzureAdOAuthenticator), limited to one tenant
  lti13   launched from the school's LMS with LTI 1.3 (jupyterhub-ltiauthenticator)

Needed by all:  PAP_HUB_PUBLIC_URL (https://pd.school.example), PAP_DATABASE_URL
google, entra:  OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET (read by OAuthenticator itself)
google:         PAP_GOOGLE_DOMAINS (comma-separated, e.g. school.example)
entra:          PAP_ENTRA_TENANT_ID
lti13:          PAP_LTI13_ISSUER, PAP_LTI13_CLIENT_IDS (comma-separated),
                PAP_LTI13_AUTHORIZE_URL, PAP_LTI13_JWKS_ENDPOINT
Optional:       PAP_HUB_ADMINS (comma-separated user names), PAP_USER_IMAGE,
                PAP_DOCKER_NETWORK (default pap-hub), PAP_HUB_CONTAINER (default jupyterhub),
                PAP_USER_MEM_LIMIT (default 1G),
                PAP_SMTP_URL, PAP_SMTP_FROM (parents' evening reminders; passed to users' servers
                as the database URL is)
"""

import os


def _env(name: str) -> str:
    """A required setting; the hub refuses to start with a message naming it, not a traceback."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise SystemExit(f"deploy/jupyterhub_config.py: set {name} (see deploy/README.md)")
    return value


def _list(name: str) -> list:
    return [v.strip() for v in os.environ.get(name, "").split(",") if v.strip()]


c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

PUBLIC_URL = _env("PAP_HUB_PUBLIC_URL").rstrip("/")
AUTH = os.environ.get("PAP_HUB_AUTH", "google").strip().lower()

# The hub runs in a container on a Docker network with the users' containers; the school's
# HTTPS reverse proxy (or a load balancer) forwards PAP_HUB_PUBLIC_URL to port 8000.
c.JupyterHub.bind_url = "http://0.0.0.0:8000"
c.JupyterHub.hub_ip = "0.0.0.0"
c.JupyterHub.hub_connect_ip = os.environ.get("PAP_HUB_CONTAINER", "jupyterhub")
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/data/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/data/jupyterhub_cookie_secret"

# -- who may sign in -----------------------------------------------------------------------
if AUTH == "google":
    c.JupyterHub.authenticator_class = "google"
    c.GoogleOAuthenticator.oauth_callback_url = f"{PUBLIC_URL}/hub/oauth_callback"
    domains = _list("PAP_GOOGLE_DOMAINS")
    if not domains:
        _env("PAP_GOOGLE_DOMAINS")
    # Only accounts of the school's Workspace domains; with one domain, user names are the part
    # before the @ (jane.doe), with several they keep it (jane.doe@school.example).
    c.GoogleOAuthenticator.hosted_domain = domains
    c.GoogleOAuthenticator.allow_all = True  # everyone in those domains
elif AUTH == "entra":
    c.JupyterHub.authenticator_class = "azuread"
    c.AzureAdOAuthenticator.oauth_callback_url = f"{PUBLIC_URL}/hub/oauth_callback"
    # A single-tenant app registration: only the school's (or district's) tenant can sign in.
    c.AzureAdOAuthenticator.tenant_id = _env("PAP_ENTRA_TENANT_ID")
    c.AzureAdOAuthenticator.scope = ["openid", "email", "profile"]
    # The sign-in name (jane.doe@school.example): unique, unlike the display name (the default).
    c.AzureAdOAuthenticator.username_claim = "preferred_username"
    c.AzureAdOAuthenticator.allow_all = True  # everyone in that tenant
elif AUTH == "lti13":
    c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
    c.LTI13Authenticator.issuer = _env("PAP_LTI13_ISSUER")
    c.LTI13Authenticator.client_id = _list("PAP_LTI13_CLIENT_IDS") or [_env("PAP_LTI13_CLIENT_IDS")]
    c.LTI13Authenticator.authorize_url = _env("PAP_LTI13_AUTHORIZE_URL")
    c.LTI13Authenticator.jwks_endpoint = _env("PAP_LTI13_JWKS_ENDPOINT")
    # The LMS's e-mail claim names the user; with privacy settings hiding it the opaque `sub`
    # is used instead (ltiauthenticator's fallback), which is unique but not readable.
    c.LTI13Authenticator.username_key = "email"
    c.Authenticator.allow_all = True  # whoever the school's LMS launches
else:
    raise SystemExit(
        f"deploy/jupyterhub_config.py: PAP_HUB_AUTH={AUTH!r}; use google, entra or lti13"
    )
c.Authenticator.admin_users = set(_list("PAP_HUB_ADMINS"))

# -- each user's server ----------------------------------------------------------------------
c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
c.DockerSpawner.image = os.environ.get("PAP_USER_IMAGE", "parents-as-partners-user:latest")
c.DockerSpawner.network_name = os.environ.get("PAP_DOCKER_NETWORK", "pap-hub")
c.DockerSpawner.use_internal_ip = True
c.DockerSpawner.remove = True  # answers live in PostgreSQL, so containers keep nothing
c.DockerSpawner.mem_limit = os.environ.get("PAP_USER_MEM_LIMIT", "1G")
c.Spawner.default_url = "/voila/render/modules/index.ipynb"
# The kit's settings reach each user's server as the hub has them: the database, and the mail
# server for parents' evening reminders when the school set one (unset: reminders can be
# previewed, not sent).
SMTP_SETTINGS = ("PAP_SMTP_URL", "PAP_SMTP_FROM")
c.Spawner.environment = {
    "PAP_DATABASE_URL": _env("PAP_DATABASE_URL"),
    **{k: os.environ[k] for k in SMTP_SETTINGS if os.environ.get(k)},
}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120

# Stop servers nobody has used for an hour (the kit's kernels end sooner: voila.json).
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
c.JupyterHub.services = [
    {"name": "idle-culler", "command": ["python3", "-m", "jupyterhub_idle_culler", "--timeout=3600"]}
]
