"""JSON API of the agreements room, mounted at /api/v1/ by tillit.api.api."""

from ninja import Router

router = Router(tags=["agreements"])
