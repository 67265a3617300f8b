"""The export flags messages before it reads the log, and the bytes are those of the old order.

``bench/bench_evidence_export.py``: the JSON export of a 50,000-message client peaked at
406 MB, ~220 MB of it the client's profile (models and every message analysed) computed
by :func:`clientguard.evidence.export.collect` on top of the verification and the
chronology it had just read. :func:`clientguard.evidence.dispute.prepare` now takes the
flags first and drops the profile before the log is read (345 MB), and the NLP models
are released once the messages are labelled, before the profile step (~255 MB). The
files must not change by a byte: the old order (flags computed inside ``collect``, the
models kept through the profile step) is run beside the new one on two copies of one
store.
"""

from __future__ import annotations

import dataclasses
import gc
import shutil
import weakref
from pathlib import Path
from typing import Any

import pytest
from evidence_sample import CLIENT, SAMPLE

from clientguard.evidence import export as ex
from clientguard.evidence.dispute import prepare
from clientguard.evidence.export import ExportData, collect, render
from clientguard.evidence.handover import record_earlier_moves
from clientguard.evidence.log import sync
from clientguard.evidence.verify import resolve_client, verify_client
from clientguard.store import Store, open_store

FORMATS = ("json", "html")


def _old_order(store: Store, cid: int) -> ExportData:
    """``prepare`` as it was: moves, verify, sync, verify, then ``collect`` computes the flags."""
    with store.engine.begin() as conn:
        record_earlier_moves(conn, cid)
    with store.engine.connect() as conn:
        before = verify_client(conn, cid)
    with store.engine.begin() as conn:
        sync(conn, cid)
    with store.engine.connect() as conn:
        after = verify_client(conn, cid)
        extra = tuple(p for p in after.problems if p not in before.problems)
        return collect(conn, cid, dataclasses.replace(after, problems=before.problems + extra))


def _pinned(data: ExportData) -> ExportData:
    return dataclasses.replace(data, generated_at="2025-10-01T00:00:00+00:00")


@pytest.fixture()
def two_stores(tmp_path: Path) -> tuple[str, str]:
    """Two SQLite files holding the same store: the sample chat, with a message edited behind the log."""
    first = tmp_path / "a.sqlite3"
    with open_store(f"sqlite:///{first}") as store:
        store.import_paths([SAMPLE], client=CLIENT)
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE messages SET text = 'подделка' WHERE id = 3")
    second = tmp_path / "b.sqlite3"
    shutil.copyfile(first, second)
    return f"sqlite:///{first}", f"sqlite:///{second}"


def test_the_files_are_those_of_the_old_order(two_stores: tuple[str, str]) -> None:
    new_url, old_url = two_stores
    with open_store(new_url) as store:
        with store.engine.connect() as conn:
            cid = resolve_client(conn, CLIENT)
        new = _pinned(prepare(store.engine, cid))
    with open_store(old_url) as store:
        old = _pinned(_old_order(store, cid))
    assert new.flagged, "the sample flags no message: the comparison would prove nothing"
    assert not new.verified  # the edited message is named in both
    for fmt in FORMATS:
        assert render(new, fmt, "ru") == render(old, fmt, "ru"), fmt
    assert render(new, "html", "en") == render(old, "html", "en")


def test_the_profile_is_gone_before_the_log_is_read(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memory fix itself: no profile is alive (nor computed later) while the chronology is read."""
    import clientguard.web.profiles as profiles

    made: list[weakref.ReferenceType[Any]] = []
    compute = profiles.compute_profile

    def computing(*args: Any, **kwargs: Any) -> Any:
        profile = compute(*args, **kwargs)
        made.append(weakref.ref(profile))
        return profile

    chronology = ex._chronology
    alive_then: list[bool] = []

    def reading(*args: Any, **kwargs: Any) -> Any:
        gc.collect()
        alive_then.append(any(ref() is not None for ref in made))
        assert made, "the profile is computed after the log is read: both are held at once"
        return chronology(*args, **kwargs)

    monkeypatch.setattr(profiles, "compute_profile", computing)
    monkeypatch.setattr(ex, "_chronology", reading)
    with store.engine.connect() as conn:
        cid = resolve_client(conn, CLIENT)
    data = prepare(store.engine, cid)
    assert len(made) == 1 and alive_then == [False]
    assert data.flagged  # and the flags it gave are used


def test_a_client_without_messages_computes_no_profile(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import clientguard.web.profiles as profiles

    def never(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a profile computed for a client with no messages")

    with store.engine.begin() as conn:
        cid = resolve_client(conn, CLIENT)
        conn.exec_driver_sql("DELETE FROM messages")
    monkeypatch.setattr(profiles, "compute_profile", never)
    with store.engine.connect() as conn:
        assert ex.flags_first(conn, cid) is None


def test_the_cli_export_releases_the_nlp_caches_before_the_log_is_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """helper-121: the models and rule sets (~125 MB at 50,000 messages) were still held at the peak."""
    from clientguard.nlp import statmodel
    from clientguard.nlp.lemmas import morph
    from clientguard.nlp.rules import load_ruleset

    chronology = ex._chronology
    held_then: list[tuple[int, int, int, int]] = []

    def reading(*args: Any, **kwargs: Any) -> Any:
        held_then.append(
            (
                statmodel.load_model.cache_info().currsize,
                len(statmodel._CHARTAB),
                load_ruleset.cache_info().currsize,
                morph.cache_info().currsize,
            )
        )
        return chronology(*args, **kwargs)

    monkeypatch.setattr(ex, "_chronology", reading)
    with store.engine.connect() as conn:
        cid = resolve_client(conn, CLIENT)
    data = prepare(store.engine, cid)
    assert data.flagged  # the flags were computed (and the models loaded) first
    assert held_then == [(0, 0, 0, 0)]


def test_the_cli_export_releases_the_nlp_caches_before_the_profile_step(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The profile step reads labels, times and records, never the models: they go before it.

    At 50,000 messages the JSON export peaked inside ``build_profile`` (308 MB) with the
    models still loaded; released once the messages are labelled, it peaks at ~255 MB.
    Checked at the step's entry (released) and at its exit (nothing loaded again).
    """
    import clientguard.web.profiles as profiles
    from clientguard.nlp import statmodel
    from clientguard.nlp.lemmas import morph
    from clientguard.nlp.rules import load_ruleset

    def held() -> tuple[int, int, int, int]:
        return (
            statmodel.load_model.cache_info().currsize,
            len(statmodel._CHARTAB),
            load_ruleset.cache_info().currsize,
            morph.cache_info().currsize,
        )

    build = profiles.build_profile
    seen: list[tuple[int, int, int, int]] = []

    def building(*args: Any, **kwargs: Any) -> Any:
        seen.append(held())
        profile = build(*args, **kwargs)
        seen.append(held())
        return profile

    monkeypatch.setattr(profiles, "build_profile", building)
    with store.engine.connect() as conn:
        cid = resolve_client(conn, CLIENT)
    data = prepare(store.engine, cid)
    assert data.flagged  # the messages were labelled with the models
    assert seen == [(0, 0, 0, 0), (0, 0, 0, 0)]


def test_the_web_export_keeps_the_nlp_caches(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboard passes its cached profile: a server reloading the models per download would be slow."""
    import clientguard.nlp.api as api
    from clientguard.web.profiles import compute_profile

    def never() -> None:
        raise AssertionError("the NLP caches released for an export given a profile")

    monkeypatch.setattr(api, "release", never)
    with store.engine.connect() as conn:
        cid = resolve_client(conn, CLIENT)
    profile = compute_profile(store, CLIENT)
    assert prepare(store.engine, cid, profile=profile).flagged


def test_released_models_load_again_with_the_same_scores() -> None:
    from clientguard.nlp.api import analyze_texts, release
    from clientguard.nlp.statmodel import load_model

    texts = ["Переделайте всё к утру, иначе не заплачу", "You call this design? Redo it, for free"]
    before = analyze_texts(texts)
    model = load_model()
    release()
    assert load_model.cache_info().currsize == 0
    assert analyze_texts(texts) == before
    assert load_model() is not model  # loaded again, not kept
