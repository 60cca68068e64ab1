"""Render the web app's PNG icons (PWA install, apple-touch) from their SVG sources.

Run after changing an icon: ``.venv/bin/python scripts/web_icons.py``. Uses Debian's chromium.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "src/ece/web/static/icons"
RENDERS = [
    ("icon.svg", "icon-192.png", 192),
    ("icon.svg", "icon-512.png", 512),
    ("icon-maskable.svg", "icon-maskable-512.png", 512),
]


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 512, "height": 512})
        for source, target, size in RENDERS:
            page.set_viewport_size({"width": size, "height": size})
            svg = (ICONS / source).read_text()
            page.set_content(
                "<html><body style='margin:0;background:transparent'>"
                f"<div style='width:{size}px;height:{size}px'>{svg}</div></body></html>"
            )
            page.locator("svg").evaluate(
                "(svg, px) => { svg.setAttribute('width', px); svg.setAttribute('height', px); }",
                size,
            )
            page.screenshot(path=str(ICONS / target), omit_background=True)
            print("wrote", ICONS / target)
        browser.close()


if __name__ == "__main__":
    main()
