"""The lessons' sliders, each a thin wire around a pure function.

One module per widget, named after its idea (for example
:mod:`course_lib.teaching.widgets.threshold`, lesson 04's decision-threshold explorer). In
each, a pure function computes everything the slider shows (tests call it
directly) and a ``format_*`` function turns it into the text lines the widget
displays; the ipywidgets code only connects a slider to them, so a lesson still
has a full static picture where no widget front end runs.

The shared parts: :mod:`course_lib.teaching.widgets._wiring` (the slider, its readout and
the box that wires them to a pure function) and :mod:`course_lib.teaching.widgets.blitting`
(figures that repaint only what a slider moves).

The widgets:

- :mod:`course_lib.teaching.widgets.threshold`: lesson 04's threshold explorer (counts, scores, marker on the sweep).
- :mod:`course_lib.teaching.widgets.operating_point`: lesson 05's operating point moving along ROC and PR at once.
- :mod:`course_lib.teaching.widgets.averaging`: lesson 06's class-imbalance slider (macro, weighted, micro drift apart);
  an integer slider in percent, so a screen reader hears its bounds and value exactly.
- :mod:`course_lib.teaching.widgets.temperature`: lesson 09's temperature slider (reliability diagram moves, ROC stays).
- :mod:`course_lib.teaching.widgets.prevalence`: lesson 12's prevalence slider (precision moves, TPR and FPR stay).

Import from the submodules (``from course_lib.teaching.widgets.threshold import threshold_explorer``);
importing this package imports neither ipywidgets nor matplotlib.
"""
