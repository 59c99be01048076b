"""Pydantic models of the search API (design/API.md): ``talentql.api.models``.

Importing this package is cheap; pydantic loads only with ``talentql.api.models``, which the
compile path and ``--version``/``--help`` never import.
"""
