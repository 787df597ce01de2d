"""The generated pages: declared (:mod:`.kinds`: which template, output path and context) and rendered
to Markdown in both languages by the Jinja2 templates of ``templates/`` (:mod:`.render`).
"""
