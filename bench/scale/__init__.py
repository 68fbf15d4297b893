"""The scale benchmark's parts (``bench/bench_scale.py`` is its command): the data (``sizes``, ``data``,
``records``; rows built from the models' own fields by ``rows``), the pages (``pages``), the measurements
(``counts``, ``serve``) and the printout (``report``)."""
