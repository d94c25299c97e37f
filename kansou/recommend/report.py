"""The evaluation report: one HTML page with the results table and a plot beside it.

``write_report(directory, rows, protocol)`` writes ``index.html`` and ``metrics.png``
(matplotlib, Agg backend, imported only here).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from kansou.recommend.evaluate import Protocol, Result

COLUMNS = (
    ("recall", "Recall@{k}"),
    ("ndcg", "NDCG@{k}"),
    ("coverage", "Coverage"),
    ("novelty", "Novelty (bits)"),
)


def plot(path: Path, rows: Sequence[Result], k: int) -> Path:
    """Bar charts of the four metrics, one bar per model."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(COLUMNS), figsize=(4 * len(COLUMNS), 3.6))
    names = [row.model for row in rows]
    for ax, (key, label) in zip(axes, COLUMNS, strict=True):
        ax.bar(names, [getattr(row, key) for row in rows], color="#4c72b0")
        ax.set_title(label.format(k=k))
        ax.tick_params(axis="x", rotation=45)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _cold_section(cold: Sequence, k: int) -> str:
    if not cold:
        return ""
    cells = (
        (html.escape(r.model), f"{r.recall:.4f}", f"{r.ndcg:.4f}", f"{r.fit_seconds:.1f}", r)
        for r in cold
    )
    body = "".join(
        f"<tr><td>{name}</td><td>{recall}</td><td>{ndcg}</td><td>{fit}</td>"
        f"<td><code>{html.escape(json.dumps(r.params))}</code></td></tr>"
        for name, recall, ndcg, fit, r in cells
    )
    head = f"<th>model</th><th>Recall@{k}</th><th>NDCG@{k}</th><th>fit s</th><th>parameters</th>"
    return f"""<h2>Item cold start</h2>
<p>{cold[0].cold_items} titles with at least 5 positives lose every rating in training; each of
the {cold[0].users} users who loved one of them is scored on finding them among those titles.</p>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
"""


def write_report(
    directory: str | Path, rows: Sequence[Result], protocol: Protocol, cold: Sequence = ()
) -> Path:
    """Write ``index.html`` and ``metrics.png`` into ``directory``; returns the HTML path.
    ``cold`` rows (:class:`kansou.recommend.coldstart.ColdResult`) add the cold-start table."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    plot(directory / "metrics.png", rows, protocol.k)
    head = "".join(f"<th>{html.escape(label.format(k=protocol.k))}</th>" for _, label in COLUMNS)
    body = "".join(
        "<tr><td>{}</td>{}<td>{:.1f}</td><td><code>{}</code></td></tr>".format(
            html.escape(row.model),
            "".join(f"<td>{getattr(row, key):.4f}</td>" for key, _ in COLUMNS),
            row.fit_seconds,
            html.escape(json.dumps(row.params)),
        )
        for row in rows
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kansou offline evaluation</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}}td:first-child{{text-align:left}}
</style></head><body>
<h1>Offline evaluation</h1>
<p>Protocol: <code>{html.escape(json.dumps(asdict(protocol)))}</code>;
{rows[0].users if rows else 0} test users.</p>
<table><thead><tr><th>model</th>{head}<th>fit s</th><th>parameters</th></tr></thead>
<tbody>{body}</tbody></table>
<p><img src="metrics.png" alt="Metrics per model"></p>
{_cold_section(cold, protocol.k)}
</body></html>
"""
    out = directory / "index.html"
    out.write_text(page, encoding="utf-8")
    return out
