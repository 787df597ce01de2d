"""Stage 4, the site: facts derived for display (:mod:`.facts`), views and Jinja2 rendering of EN/ZH
Markdown (:mod:`.views`, :mod:`.render`, :mod:`.snippets`, :mod:`.i18n` with ``ui.yaml``), the static
API (:mod:`.export`) and the MkDocs build (:mod:`.build`, :mod:`.mkdocs_hooks`).
"""
