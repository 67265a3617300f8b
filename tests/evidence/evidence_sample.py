"""Where the sample chat lives and which client it is imported as (shared by the tests)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CLIENT = "Кофейня «Пенка»"
