"""Reports: the daily email briefing and the static HTML report site (Jinja2).

``reports`` reads the store only through :mod:`store.readmodels` (frozen dataclasses) and never
imports ``crawler``, ``nlp`` or ``ipwire``.
"""
