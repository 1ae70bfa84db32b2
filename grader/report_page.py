"""report.html: the instructor's page of plots, drawn from grader.report's data.

The page is one self-contained file, to open from disk or mail to a colleague: the
plots are PNGs drawn by matplotlib's Agg backend and inlined as base64, the style
sheet is inline, and nothing is fetched from anywhere. Every name and message comes
from students or test authors, so all text is HTML-escaped.
"""
from __future__ import annotations

import base64
import datetime
import html
import io
import statistics

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from grader.report import AssignmentReport, Row, number

BAR = "#4C72B0"
MESSAGE_LIMIT = 400     # characters of a failure message shown (a repr can be huge)

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #222; margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; line-height: 1.4; }
h1 { margin-bottom: .2rem; }
h2 { border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin: 1.5rem 0 .5rem; font-size: 1.05rem; }
.meta, .summary { color: #555; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .35rem .7rem; text-align: left;
         vertical-align: top; }
th { background: #f4f4f4; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.cell code { white-space: nowrap; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
       font-size: .88em; white-space: pre-wrap; overflow-wrap: anywhere; }
.figures { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: .9rem; margin-bottom: .3rem; }
ol.hints { margin: 0; padding: 0; list-style: none; }
ol.hints li { margin-bottom: .25rem; display: flex; gap: .5rem; }
.count { color: #555; white-space: nowrap; min-width: 2.2rem; text-align: right; }
.none { color: #888; }
.flag { color: #b00020; font-weight: 600; }
ul.notes { margin: 0; padding-left: 1.1rem; }
"""


def e(value) -> str:
    """HTML-escape anything shown on the page (quotes too: it may sit in an attribute)."""
    return html.escape(str(value), quote=True)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


# ------------------------------------------------------------------ plots
def png(fig: Figure) -> str:
    """The figure as a base64 PNG, drawn by the Agg backend (no display needed)."""
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def plain_label(text: str) -> str:
    # matplotlib reads text between dollar signs as maths.
    return text.replace("$", r"\$")


def score_histogram(report: AssignmentReport) -> str:
    scores = [row.score or 0.0 for row in report.submissions]
    top = report.max_score
    fig = Figure(figsize=(4.4, 2.9))
    ax = fig.add_subplot()
    if top <= 40 and all(float(s).is_integer() for s in scores):
        bins = [x - 0.5 for x in range(int(top) + 2)]     # one bar per whole score
    else:
        bins = [top * i / 20 for i in range(21)]
    ax.hist(scores, bins=bins, color=BAR, edgecolor="white")
    ax.set_xlim(bins[0], bins[-1])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"total score (out of {top:g})")
    ax.set_ylabel("submissions")
    ax.spines[["top", "right"]].set_visible(False)
    return png(fig)


def pass_rate_chart(report: AssignmentReport) -> str:
    cells = report.test_cells
    graded = len(report.submissions)
    rates = [report.passed(cell) / graded for cell in cells]
    fig = Figure(figsize=(4.2, 0.9 + 0.3 * len(cells)))
    ax = fig.add_subplot()
    positions = list(range(len(cells)))[::-1]          # the first test cell on top
    ax.barh(positions, rates, color=BAR, height=0.65)
    ax.set_yticks(positions, [plain_label(cell.name) for cell in cells], fontsize=8.5)
    for y, cell, rate in zip(positions, cells, rates):
        ax.text(min(rate, 1) + 0.01, y, f"{report.passed(cell)}/{graded}", va="center", fontsize=8)
    ax.set_xlim(0, 1.12)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("submissions that pass")
    ax.spines[["top", "right"]].set_visible(False)
    return png(fig)


# ------------------------------------------------------------------ HTML
def render(reports: list[AssignmentReport], course_name: str, csv_name: str) -> str:
    generated = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    sections = "\n".join(assignment_section(index, report) for index, report in enumerate(reports))
    body = sections or '<p class="none">The gradebook holds no assignments yet.</p>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Instructor report: {e(course_name)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Instructor report</h1>
<p class="meta">Course <b>{e(course_name)}</b>, from its gradebook on {e(generated)}.
Every score, per student and per test cell, is in <a href="{e(csv_name)}">{e(csv_name)}</a>.</p>
{overview(reports)}
{body}
</body>
</html>
"""


def overview(reports: list[AssignmentReport]) -> str:
    if not reports:
        return ""
    lines = []
    for index, report in enumerate(reports):
        subs = report.submissions
        scores = [row.score or 0.0 for row in subs]
        mean = f"{statistics.mean(scores):.1f}" if scores else "-"
        median = f"{statistics.median(scores):g}" if scores else "-"
        lines.append(
            f'<tr><td><a href="#assignment-{index}">{e(report.name)}</a></td>'
            f'<td class="num">{len(subs)} of {len(report.rows)}</td>'
            f'<td class="num">{mean}</td><td class="num">{median}</td>'
            f'<td class="num">{report.max_score:g}</td>'
            f'<td class="num">{sum(1 for s in scores if report.max_score and s >= report.max_score)}</td>'
            f'<td class="num">{sum(1 for s in scores if not s)}</td>'
            f'<td class="num">{sum(1 for row in subs if row.flagged)}</td></tr>')
    return ("<h2>Overview</h2>\n<table class=\"overview\"><thead><tr><th>assignment</th>"
            '<th class="num">submitted</th><th class="num">mean</th><th class="num">median</th>'
            '<th class="num">out of</th><th class="num">full marks</th>'
            '<th class="num">scored 0</th><th class="num">flagged</th></tr></thead>\n<tbody>\n'
            + "\n".join(lines) + "\n</tbody></table>")


def assignment_section(index: int, report: AssignmentReport) -> str:
    subs = report.submissions
    head = f'<section class="assignment" id="assignment-{index}">\n<h2>{e(report.name)}</h2>'
    if not subs:
        return (f'{head}\n<p class="none">No submissions yet ({len(report.rows)} student(s) in '
                "the gradebook).</p>\n</section>")
    scores = [row.score or 0.0 for row in subs]
    summary = (f'<p class="summary">{len(subs)} submission(s) from {len(report.rows)} student(s) '
               f"in the gradebook; mean {statistics.mean(scores):.1f}, median "
               f"{statistics.median(scores):g}, out of {report.max_score:g}.</p>")
    figures = ["<figure><figcaption>Total scores</figcaption>"
               f'<img src="data:image/png;base64,{score_histogram(report)}" '
               f'alt="Histogram of total scores for {e(report.name)}"></figure>']
    if report.test_cells:
        figures.append("<figure><figcaption>Pass rate of each test cell</figcaption>"
                       f'<img src="data:image/png;base64,{pass_rate_chart(report)}" '
                       f'alt="Pass rate of each test cell of {e(report.name)}"></figure>')
    parts = [head, summary, '<div class="figures">' + "\n".join(figures) + "</div>",
             hints_table(report), to_look_at_table(report), missing_notebooks(report), "</section>"]
    return "\n".join(part for part in parts if part)


def hints_table(report: AssignmentReport) -> str:
    """Per test cell: its pass rate and the failure messages met most often."""
    if not report.test_cells:
        return ""
    graded = len(report.submissions)
    rows = []
    for cell in report.test_cells:
        passed = report.passed(cell)
        hints = report.top_failures(cell)
        listed = ("<ol class=\"hints\">" + "".join(
            f'<li><span class="count">{count}&times;</span> <code class="hint">{e(short(message))}</code></li>'
            for message, count in hints) + "</ol>") if hints else '<span class="none">none</span>'
        rows.append(f'<tr data-cell="{e(cell.name)}"><td class="cell"><code>{e(cell.name)}</code></td>'
                    f'<td class="num">{cell.points:g}</td>'
                    f'<td class="num passed">{passed} of {graded} ({percent(passed, graded)})</td>'
                    f"<td>{listed}</td></tr>")
    return ("<h3>Which hints fired most</h3>\n"
            '<table class="cells"><thead><tr><th>test cell</th><th class="num">points</th>'
            '<th class="num">passed</th><th>most frequent failure messages (submissions)</th>'
            "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


def short(message: str) -> str:
    return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + " …"


def to_look_at_table(report: AssignmentReport) -> str:
    rows = report.to_look_at()
    if not rows:
        return ""
    lines = []
    for row in rows:
        if row.notes:
            notes = '<ul class="notes">' + "".join(f"<li>{e(note)}</li>" for note in row.notes) + "</ul>"
        elif row.missing_notebooks:
            notes = '<span class="none">no graded notebook in autograded/</span>'
        else:
            notes = '<span class="none">no notes; no test passed</span>'
        flag = '<span class="flag">flagged</span>' if row.flagged else ""
        lines.append(f'<tr><td>{e(row.student)}</td><td class="num">{number(row.score)}</td>'
                     f"<td>{flag}</td><td>{notes}</td></tr>")
    return ("<h3>To look at: flagged for review, or scored 0</h3>\n"
            '<table class="look-at"><thead><tr><th>student</th><th class="num">score</th>'
            "<th></th><th>the grader's notes</th></tr></thead>\n<tbody>\n"
            + "\n".join(lines) + "\n</tbody></table>")


def missing_notebooks(report: AssignmentReport) -> str:
    missing: list[Row] = [row for row in report.submissions if row.missing_notebooks]
    if not missing:
        return ""
    names = ", ".join(e(row.student) for row in missing)
    return (f'<p class="missing">No graded notebook in autograded/ for {len(missing)} '
            f"submission(s), so their failure messages and notes are not counted above: "
            f"{names}.</p>")
