"""MkDocs hook: name two of Material's widgets for assistive technology (found by axe-core).

Material's search dialog has no accessible name, and the progress bar of instant navigation is
an unnamed progressbar outside any landmark. The bar is a visual cue only (screen readers hear
the new page's title), so it is hidden from them; the dialog is named "Search".
tests/test_site_a11y.py fails if a Material upgrade changes this markup and a violation returns.
"""
from __future__ import annotations

FIXES = {
    'data-md-component="search" role="dialog"':
        'data-md-component="search" role="dialog" aria-label="Search"',
    'data-md-component="progress" role="progressbar"':
        'data-md-component="progress" role="progressbar" aria-label="Loading the page" aria-hidden="true"',
}


def name_widgets(html: str) -> str:
    for old, new in FIXES.items():
        html = html.replace(old, new)
    return html


def on_post_page(output, page, config):
    return name_widgets(output)
