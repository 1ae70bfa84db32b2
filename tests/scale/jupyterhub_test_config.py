"""The course's hub (deploy/jupyterhub_config.py) as tests/scale/hub.py starts it: what
a test on one machine, as one account, changes is here and only here. hub.py passes the
scratch folders, ports and token in the MML_TEST_HUB environment variable (JSON).
"""
import json
import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
load_subconfig(str(DEPLOY / "jupyterhub_config.py"))  # noqa: F821  (provided by JupyterHub)
settings = json.loads(os.environ["MML_TEST_HUB"])

# Loopback only, on ports nothing else uses.
c.JupyterHub.bind_url = f"http://127.0.0.1:{settings['port']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings['hub_port']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]

# The course's users, without Unix accounts: any password logs in, and every server
# runs as the account running the test, each in its own home folder.
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = settings["homes"] + "/{username}"
c.JupyterHub.load_groups = {
    "instructors": {"users": settings["instructors"]},
    "students": {"users": settings["students"]},
}
c.Authenticator.allowed_users = set(settings["instructors"] + settings["students"])
c.Authenticator.admin_users = set(settings["instructors"])
if os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]

# Instead of /etc/jupyter/nbgrader_config.py: deploy/nbgrader_config.py, with the
# exchange in the scratch folder.
c.Spawner.environment.update({"JUPYTER_CONFIG_PATH": str(DEPLOY),
                              "MML_EXCHANGE_ROOT": settings["exchange"]})

# The test drives the hub through its REST API with this admin token.
c.JupyterHub.services = [{"name": "course-test", "api_token": settings["token"]}]
c.JupyterHub.load_roles = [{"name": "admin", "services": ["course-test"]}]
