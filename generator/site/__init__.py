"""Stage 4, the site, in four parts that import one way only (``tests/test_layout.py`` checks it):

- the modules here, which every part shares: interface strings (:mod:`.i18n` with ``ui.yaml``),
  the formatting of values for Markdown (:mod:`.markup`), facts derived for display
  (:mod:`.facts`) and the note of an equivalent architecture (:mod:`.equivalent`);
- :mod:`.views`: pure functions from (catalogue, locks, language) to the rows the pages print;
- :mod:`.pages` (the pages, declared and rendered to EN/ZH Markdown by Jinja2) and
  :mod:`.export` (``models.json``, ``models.csv`` and their JSON Schema), each above the views;
- :mod:`.engine`, above all: ``mmcat build`` and ``mmcat serve``, the MkDocs build of both
  languages and its hooks, the build stamp and the atomic publishing of the site.
"""
