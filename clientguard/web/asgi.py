"""The ASGI entry point uvicorn imports (one app per worker process), configured from the env.

``clientguard serve`` sets ``CLIENTGUARD_WEB_DB``/``CLIENTGUARD_WEB_TEAM`` before starting
uvicorn, so that several worker processes build identical apps.
"""

from __future__ import annotations

import os

from clientguard.web.app import create_app
from clientguard.web.settings import WebConfig

app = create_app(
    WebConfig.from_env(
        os.environ.get("CLIENTGUARD_WEB_DB") or None, team=bool(os.environ.get("CLIENTGUARD_WEB_TEAM"))
    )
)
