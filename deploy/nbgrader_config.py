"""nbgrader settings every user of the hub shares: where the exchange is, and the
course. Install it where every single-user server and every `nbgrader` command finds
it, i.e. in a folder of Jupyter's config path that all users read:

    sudo install -m 644 deploy/nbgrader_config.py /etc/jupyter/nbgrader_config.py

The instructor's course folder has its own nbgrader_config.py (the repository's), read
after this one when nbgrader runs there: it says where the course's files are.
"""
import os

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

# The exchange: one folder on the hub machine (or a volume every server mounts) through
# which the instructor releases and collects and the students fetch and submit.
# nbgrader wants it to exist beforehand and be writable by everyone:
#     sudo install -d -m 1777 /srv/nbgrader/exchange
# MML_EXCHANGE_ROOT moves it (the tests put it in a scratch folder).
c.Exchange.root = os.environ.get("MML_EXCHANGE_ROOT", "/srv/nbgrader/exchange")

# The course id: the same as in the course's own nbgrader_config.py. Students see the
# assignments of this course in their Assignments tab.
c.CourseDirectory.course_id = "mml"
