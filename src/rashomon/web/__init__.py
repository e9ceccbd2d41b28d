"""The web app and HTTP API (FastAPI): ``create_app(db, token=None)``.

Serve it with ``rashomon serve`` (uvicorn on 127.0.0.1:8000 by default).
"""

from __future__ import annotations

from rashomon.web.app import create_app

__all__ = ["create_app"]
