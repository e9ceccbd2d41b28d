"""Show the analysis: the static HTML report, shared page rendering, ACLED-style rows.

``write_report(store, out_dir)`` writes a self-contained site; the web app
(:mod:`rashomon.web`) renders the same pages from the same view data.
"""

from __future__ import annotations

from rashomon.report.site import write_report

__all__ = ["write_report"]
