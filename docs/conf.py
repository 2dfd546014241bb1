"""Sphinx settings for the course website (`make book`; the sources are prepared by tools/site.py).

Offline by design: notebooks are rendered from their stored outputs (no execution), the theme
(furo) ships its assets, and MathJax comes from the `sphinx-mathjax-offline` package, which copies
it into `_static/` instead of pointing pages at a CDN.
"""

project = "Classification Metrics from Scratch"
author = "The course authors"
copyright = "2026, the course authors"

extensions = ["myst_nb", "sphinx-mathjax-offline"]
nb_execution_mode = "off"  # CI executes and asserts every notebook; the site shows those outputs
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3  # so that [text](#a-section) links inside a lesson resolve

html_theme = "furo"
html_title = project
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
