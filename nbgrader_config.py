"""nbgrader configuration. The course directory is the repository root, so the plain
nbgrader commands work from a clone:

    nbgrader generate_assignment special_matrices    # source_solutions/ -> assignments/
    nbgrader autograde special_matrices              # submitted/ -> autograded/ + gradebook.db
    nbgrader generate_feedback special_matrices      # autograded/ -> feedback/
    nbgrader export                                  # gradebook -> grades.csv

`make release`, `make autograde`, `make feedback` and `make grades` do the same in
batches (grader/), with clear per-student reports.
"""
import os

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "mml"
# The course directory is the folder holding this file, wherever nbgrader runs from.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# The instructor's source (solutions and hidden tests) and the student versions.
c.CourseDirectory.source_directory = "source_solutions"
c.CourseDirectory.release_directory = "assignments"
# Anything else in an assignment folder (data, helper modules) is released too.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# The gradebook: gradebook.db (SQLite) at the course root, unless MML_GRADEBOOK_URL
# names another database, e.g. PostgreSQL for a large class or a shared server:
#     export MML_GRADEBOOK_URL=postgresql+psycopg2://grader:secret@db.example.org:5432/mml
# The plain nbgrader commands and the batch grader (grader.course.db_url) both read it here.
if os.environ.get("MML_GRADEBOOK_URL"):
    c.CourseDirectory.db_url = os.environ["MML_GRADEBOOK_URL"]

# Every cell of a student notebook must finish within this many seconds when graded:
# an infinite loop is interrupted, the cell scores 0 and grading goes on.
# (tests/grading/test_bad_input.py proves it bites.)
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.Execute.execute_retries = 0
# nbgrader treats a cell whose output is slow to arrive as a grading failure; nbclient's
# 4-second default is too short for a busy machine grading many notebooks at once.
c.Execute.iopub_timeout = 30

# A student who deletes a test cell is graded on it all the same: nbgrader puts the
# cell back from the gradebook's copy of the source.
c.OverwriteCells.add_missing_cells = True

# Student-facing output: keep feedback readable even if a cell prints a flood.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 50

# Released notebooks carry no outputs, and solution regions become this stub.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback never shows hidden tests, nor tracebacks that would quote them; its maths is
# rendered by a MathJax copied beside each page (grader/feedback.py), never a CDN.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "grader.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.GenerateFeedback.exporter_class = "grader.feedback.OfflineMathJaxHTMLExporter"
