"""JSON API of the indicators room, mounted at /api/v1/ by tillit.api.api."""

from ninja import Router

router = Router(tags=["indicators"])
