"""JupyterHub on this machine only, for trying the kit as hub users and for tests/hub.

NOT for a school: every user's server runs as the account that started the hub, with no isolation
(``SimpleLocalProcessSpawner``), and everyone shares one password. It exists so that the kit can
be run behind a real hub, with a real proxy and real hub logins, without Kubernetes or system
accounts. ``deploy/jupyterhub_config.py`` is the configuration for a school.

Start it from the repository root (after ``bash tools/hub-proxy.sh`` once):

    PAP_HUB_PASSWORD=choose-a-long-one PAP_HUB_USERS=ana,ben \
    PAP_DATABASE_URL=postgresql+psycopg://... \
    .venv/bin/jupyterhub -f deploy/jupyterhub_config_local_test.py

and open http://127.0.0.1:8000. Everything it writes (hub database, cookie secret, users' home
folders) goes to ``PAP_HUB_STATE_DIR`` (a new temporary folder when unset). Answers go to
``PAP_DATABASE_URL`` when set, else to a SQLite file in each user's home folder there.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

ROOT = Path(__file__).resolve().parents[1]
STATE = Path(os.environ.get("PAP_HUB_STATE_DIR") or tempfile.mkdtemp(prefix="pap-hub-"))
STATE.mkdir(parents=True, exist_ok=True)
BIN = Path(sys.executable).parent

# Loopback only: this configuration must never be reachable from another computer.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ.get("PAP_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("PAP_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('PAP_PROXY_API_PORT', '8001')}"
proxy = os.environ.get("PAP_HUB_PROXY") or str(
    ROOT / ".cache/npm/node_modules/.bin/configurable-http-proxy"
)
if not Path(proxy).exists():
    proxy = shutil.which("configurable-http-proxy") or proxy
c.ConfigurableHTTPProxy.command = [proxy]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server

# A shared password (min. 8 characters) and a fixed list of user names.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["PAP_HUB_PASSWORD"]
c.Authenticator.allowed_users = {
    u.strip() for u in os.environ.get("PAP_HUB_USERS", "ana,ben").split(",") if u.strip()
}

# Each user's server: jupyterhub-singleuser from this Python, as this account, with its home in
# the state folder, serving the repository so the kit's notebooks are at modules/.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
if os.geteuid() == 0:  # containers and CI machines often run as root
    c.Spawner.args = ["--allow-root"]
c.Spawner.notebook_dir = str(ROOT)
c.Spawner.default_url = "/voila/render/modules/index.ipynb"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
env = {
    # Voila (a server extension here) reads voila.json from the Jupyter config path.
    "JUPYTER_CONFIG_PATH": str(ROOT),
    # ... and finds the kit's page template (voila.json names it) in the kit's share/jupyter.
    "JUPYTER_PATH": os.pathsep.join(
        p for p in (str(ROOT / "share" / "jupyter"), os.environ.get("JUPYTER_PATH", "")) if p
    ),
}
# No PAP_DATABASE_URL: each user's SQLite file lands under their home folder in the state folder.
if os.environ.get("PAP_DATABASE_URL"):
    env["PAP_DATABASE_URL"] = os.environ["PAP_DATABASE_URL"]
# The mail server for parents' evening reminders, passed on the same way when set.
for _k in ("PAP_SMTP_URL", "PAP_SMTP_FROM"):
    if os.environ.get(_k):
        env[_k] = os.environ[_k]
c.Spawner.environment = env
