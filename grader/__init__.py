"""Instructor tooling around nbgrader.

The plain nbgrader commands work from the repository root (nbgrader_config.py);
this package adds batch conveniences on top, used by the Makefile:

    python -m grader release                 every student version, from source_solutions/
    python -m grader autograde <id>          every submission in submitted/*/<id>/, in parallel
    python -m grader feedback <id>           HTML feedback (no hidden tests, offline maths)
    python -m grader grades --output F.csv   all grades from the gradebook
    python -m grader report                  grades.csv and report.html for the instructor

Modules, in the order a submission meets them:
    submissions  is the folder gradable? (names, JSON, nbformat)
    screening    rebuild the notebook around the released cells; screen for tampering
    batch        run nbgrader autograde per notebook in worker processes; one gradebook writer
    sandbox      the kernel's jail: rlimits + bubblewrap; kernel_main caps its output
    autograde    Outcome (what happened to one student) and the summary table
    feedback     nbgrader preprocessor hiding hidden tests; offline MathJax for feedback
    report       the instructor's grades CSV, from the gradebook and graded notebooks
    report_page  the instructor's page of plots (self-contained HTML)
    course       paths of a course directory, running nbgrader in it
"""
