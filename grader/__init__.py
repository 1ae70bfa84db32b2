"""Instructor tooling around nbgrader.

The plain nbgrader commands work from the repository root (nbgrader_config.py);
this package adds batch conveniences on top, used by the Makefile:

    python -m grader release                 every student version, from source_solutions/
    python -m grader autograde <id>          every submission in submitted/*/<id>/
    python -m grader feedback <id>           HTML feedback for the graded submissions
    python -m grader grades --output F.csv   all grades from the gradebook

Modules: course (paths, running nbgrader), submissions (checking and staging a
student's folder before nbgrader sees it), autograde (the batch and its summary).
"""
