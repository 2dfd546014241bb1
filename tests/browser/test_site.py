"""The course website, built as `make book` builds it and read in headless Chromium.

The site is built once for this module from the stored notebooks (tools/site.py, Sphinx with
``-W``: a broken internal link or a bad notebook fails the build), served on 127.0.0.1, and
every page is opened by a real browser that is refused any request leaving this machine, so a
theme, font or MathJax fetched from a CDN would show up as a failure here.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tools import site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSONS = [p.name for p in site.lessons()]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """Build the site and serve it on a free port of 127.0.0.1 until the module ends."""
    out = tmp_path_factory.mktemp("site") / "html"
    site.build(out)
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def offline_page(page, served_site):
    """A page that may only talk to the local server; records console errors and outside requests."""
    _, base = served_site
    problems = {"console": [], "pageerror": [], "outside": []}

    def route(request_route):
        url = request_route.request.url
        if url.startswith(base) or url.startswith("data:") or url.startswith("blob:"):
            request_route.continue_()
        else:
            problems["outside"].append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda msg: msg.type == "error" and problems["console"].append(msg.text))
    page.on("pageerror", lambda error: problems["pageerror"].append(str(error)))
    page.problems = problems
    return page


def _stored_png_count(name: str) -> int:
    nb = json.loads((ROOT / "notebooks" / name).read_text())
    return sum(
        "image/png" in out.get("data", {})
        for cell in nb["cells"]
        if cell["cell_type"] == "code" and not site._is_slider(cell)
        for out in cell.get("outputs", [])
    )


def _has_math(name: str) -> bool:
    nb = json.loads((ROOT / "notebooks" / name).read_text())
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return bool(re.search(r"\$[^$\n]+\$", text))


def test_the_site_has_a_page_per_lesson(served_site):
    out, _ = served_site
    assert LESSONS, "no lessons found"
    for name in LESSONS:
        assert (out / "lessons" / name.replace(".ipynb", ".html")).exists(), f"no page for {name}"


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_page_renders_with_figures_and_math(offline_page, served_site, name):
    _, base = served_site
    page = offline_page
    response = page.goto(f"{base}/lessons/{name.replace('.ipynb', '.html')}")
    assert response.status == 200
    number = name[:2]
    assert page.locator("h1").first.inner_text().startswith(f"Lesson {number}")
    # every figure the notebook stores is on the page and decoded by the browser
    page.wait_for_load_state("load")
    images = page.eval_on_selector_all(
        "article img", "imgs => imgs.map(i => ({src: i.src, ok: i.complete && i.naturalWidth > 0}))"
    )
    assert len(images) >= _stored_png_count(name)
    broken = [i["src"] for i in images if not i["ok"]]
    assert not broken, f"broken images: {broken}"
    if _has_math(name):
        page.wait_for_selector("mjx-container", timeout=20_000)
        assert page.locator("mjx-merror").count() == 0, "MathJax reported a TeX error"
    # the page links its exercise and the Colab and Binder copies; a slider becomes a note
    links = page.eval_on_selector_all("article a", "as => as.map(a => a.href)")
    assert any(link.endswith(f"/exercises/{name}") for link in links)
    assert any("colab.research.google.com" in link for link in links)
    assert any("mybinder.org" in link for link in links)
    assert "widget-view" not in page.content()
    assert page.problems == {"console": [], "pageerror": [], "outside": []}


def test_slider_cells_become_a_note_beside_their_static_figure(offline_page, served_site):
    _, base = served_site
    with_sliders = [
        n for n in LESSONS if any(site._is_slider(c) for c in json.loads((ROOT / "notebooks" / n).read_text())["cells"])
    ]
    assert with_sliders, "no lesson has a slider"
    for name in with_sliders:
        offline_page.goto(f"{base}/lessons/{name.replace('.ipynb', '.html')}")
        assert offline_page.get_by_text("Interactive slider: it runs in JupyterLab").count() >= 1, name


def test_navigation_from_the_landing_page_through_every_lesson(offline_page, served_site):
    _, base = served_site
    page = offline_page
    page.goto(f"{base}/index.html")
    assert "Classification Metrics from Scratch" in page.title()
    table_links = page.eval_on_selector_all("article table a", "as => as.map(a => a.getAttribute('href'))")
    for name in LESSONS:
        assert f"lessons/{name.replace('.ipynb', '.html')}" in table_links, f"landing page lacks {name}"
    # "next" walks the lessons in order
    page.goto(f"{base}/lessons/{LESSONS[0].replace('.ipynb', '.html')}")
    for name in LESSONS[1:]:
        page.locator("a.next-page").click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/lessons/{name.replace('.ipynb', '.html')}")
    assert page.problems == {"console": [], "pageerror": [], "outside": []}


def test_search_finds_a_lesson(offline_page, served_site):
    _, base = served_site
    page = offline_page
    page.goto(f"{base}/search.html?q=precision")
    page.wait_for_selector("ul.search li", timeout=20_000)
    hits = page.eval_on_selector_all("ul.search li a", "as => as.map(a => a.getAttribute('href'))")
    assert any("03_precision_recall_f1" in hit for hit in hits)
    assert page.problems == {"console": [], "pageerror": [], "outside": []}


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _parse(path: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(path.read_text())
    return parser


def test_every_internal_link_resolves(served_site):
    out, base = served_site
    pages = sorted(out.rglob("*.html"))
    parsed = {p: _parse(p) for p in pages}
    checked = 0
    for page_path, anchors in parsed.items():
        for href in anchors.hrefs:
            if urllib.parse.urlparse(href).scheme or href.startswith("mailto:"):
                continue  # external (GitHub, Colab, Binder): not fetched offline
            target, _, fragment = href.partition("#")
            target_path = (page_path.parent / urllib.parse.unquote(target)).resolve() if target else page_path
            if target_path.is_dir():
                target_path = target_path / "index.html"
            assert target_path.is_file(), f"{page_path.relative_to(out)} links to missing {href}"
            url = base + "/" + target_path.relative_to(out.resolve()).as_posix()
            with urllib.request.urlopen(url) as response:
                assert response.status == 200
            if fragment and target_path.suffix == ".html":
                ids = parsed.get(target_path, None) or _parse(target_path)
                assert urllib.parse.unquote(fragment) in ids.ids, f"{page_path.relative_to(out)}: no #{fragment}"
            checked += 1
    assert checked > 3 * len(LESSONS)
