"""JupyterHub for the course: the instructor and the students are users of one hub;
each gets their own Jupyter server on the hub machine, and they all share the nbgrader
exchange (deploy/nbgrader_config.py). README.md in this folder walks through the set-up.

    cd /srv/jupyterhub && sudo /opt/mml/.venv/bin/jupyterhub -f /opt/mml/deploy/jupyterhub_config.py

As root the hub logs users in with their Unix passwords (PAM, JupyterHub's default) and
starts each user's server as that user (LocalProcessSpawner, the default), in their home
folder. It keeps its state (jupyterhub.sqlite, jupyterhub_cookie_secret, the proxy's pid
file) in the folder it is started from.
"""
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

REPOSITORY = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------- who is on the course
# Hub groups. Members of "instructors" are hub admins and get nbgrader's formgrader;
# everyone else is a student. nbgrader knows students by their account name.
INSTRUCTORS = ["instructor"]
STUDENTS = ["alice", "bob"]

c.JupyterHub.load_groups = {
    "instructors": {"users": INSTRUCTORS},
    "students": {"users": STUDENTS},
}
c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS)
c.Authenticator.admin_users = set(INSTRUCTORS)

# ---------------------------------------------------------------- the network
# The public address (put TLS in front of it, or set c.JupyterHub.ssl_cert/ssl_key).
c.JupyterHub.bind_url = "http://:8000"
# JupyterHub's proxy, from the course's node_modules (package.json; `npm ci`).
PROXY = REPOSITORY / "node_modules" / ".bin" / "configurable-http-proxy"
if PROXY.is_file():
    c.ConfigurableHTTPProxy.command = [str(PROXY)]

# ---------------------------------------------------------------- each user's server
# The single-user servers run from the hub's own environment (the course venv), which
# holds nbgrader and its server extensions (Assignments tab, formgrader) and the course's
# packages; it must be readable by every user (so not under /root).
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
# In a terminal on their server, `nbgrader` and `python -m grader` are the course's.
c.Spawner.environment = {
    "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
}

# The formgrader (instructor's grading pages) is for instructors only.
FORMGRADER_OFF = "--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=False"


def course_role(spawner):
    """Start a student's server without the formgrader."""
    groups = {group.name for group in spawner.user.groups}
    if "instructors" not in groups and FORMGRADER_OFF not in spawner.args:
        spawner.args = [*spawner.args, FORMGRADER_OFF]


c.Spawner.pre_spawn_hook = course_role
