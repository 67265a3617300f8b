"""``clientguard signals --in IN.jsonl --out OUT.jsonl``: batch message signals.

Input lines are ``{"id", "text", "lang"?}``; output lines are exactly
``{"id", "labels", "scores", "evidence"}`` with evidence as ``[start, end, rule]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from clientguard.errors import MalformedRecordError, Where

BATCH = 512


def _read(fh: IO[str], name: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for no, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MalformedRecordError(f"expected a JSON object, got invalid JSON ({exc.msg})",
                                       Where(name, f"line {no}")) from None
        if not isinstance(rec, dict):
            raise MalformedRecordError(
                f"expected a JSON object, got {type(rec).__name__}", Where(name, f"line {no}")
            )
        if "id" not in rec or not isinstance(rec.get("text"), str):
            raise MalformedRecordError('expected keys "id" and "text" (a string)', Where(name, f"line {no}"))
        lang = rec.get("lang")
        if lang is not None and lang not in ("ru", "en"):
            raise MalformedRecordError(f'expected "lang" ru or en, got {lang!r}', Where(name, f"line {no}"))
        out.append(rec)
    return out


def to_record(rec_id: Any, analysis: Any) -> dict[str, Any]:
    """The output shape of one message (also used by tests)."""
    return {
        "id": rec_id,
        "labels": list(analysis.labels),
        "scores": analysis.scores,
        "evidence": {k: [[e.start, e.end, e.rule] for e in v] for k, v in analysis.evidence.items()},
    }


def register(app: typer.Typer) -> None:
    @app.command("signals")
    def signals(
        inp: Annotated[str, typer.Option("--in", help="Input JSONL ({id, text, lang?}); '-' for stdin.")],
        out: Annotated[str, typer.Option("--out", help="Output JSONL; '-' for stdout.")] = "-",
    ) -> None:
        """Label every message of a JSONL file with the 18 message signals."""
        from clientguard.nlp.api import analyze_texts

        if inp == "-":
            recs = _read(sys.stdin, "<stdin>")
        else:
            p = Path(inp)
            if not p.is_file():
                raise typer.BadParameter(f"expected an existing file, got {inp!r}", param_hint="--in")
            with p.open(encoding="utf-8") as fh:
                recs = _read(fh, inp)
        dst: IO[str] = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")  # noqa: SIM115
        try:
            for i in range(0, len(recs), BATCH):
                chunk = recs[i : i + BATCH]
                res = analyze_texts([r["text"] for r in chunk], [r.get("lang") for r in chunk])
                for r, a in zip(chunk, res, strict=True):
                    dst.write(json.dumps(to_record(r["id"], a), ensure_ascii=False) + "\n")
        finally:
            if dst is not sys.stdout:
                dst.close()
