"""Slack workspace exports (``ingest/slack.py``) on the hand-made export in
``tests/fixtures/ingest/slack/agency`` (an agency, its Slack Connect channels with a Russian
and an English client, a DM) and on the real export in ../shared, as a zip and unzipped.

Expected values were written from the fixture's JSON by hand, not taken from the parser.
"""

# ruff: noqa: E501  (data tables: one row per case reads better than wrapped rows)
from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from clientguard.domain import AttachmentKind, Event, Message, Sender, Source
from clientguard.errors import InputError, MalformedRecordError, UnknownFormatError
from clientguard.ingest import ReadContext, detect, read_path
from clientguard.ingest.notices import NoticeCode
from clientguard.ingest.slack import parse_ts, render
from clientguard.store import Store

AGENCY = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "slack" / "agency"
REAL = Path("fixtures") / "formats" / "slack_export" / "langchain-community" / "slack_export.zip"


def utc(day: int, hour: int, minute: int, micro: int = 0) -> datetime:
    return datetime(2025, 9, day, hour, minute, 0, micro, tzinfo=UTC)


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    """The folder as Slack's "Export data" zips it (``prefix``: a folder around it, as when
    a user zips the unzipped export again)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def read_all(path: Path, ctx: ReadContext | None = None) -> list[tuple[Any, list[Message | Event]]]:
    ctx = ctx or ReadContext()
    return [(pc.conversation, list(pc.items)) for pc in read_path(path, ctx)]


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj


# (conversation key, title, chat type, messages, events) in the order of the export's lists
AGENCY_CONVS = [
    ("slack:T01PIXEL:C01GENERAL", "general", "channel", 1, 2),
    ("slack:T01PIXEL:C02PENKA", "ext-penka-coffee", "shared_channel", 7, 2),
    ("slack:T01PIXEL:C03ACME", "ext-acme-social", "shared_channel", 3, 1),
    ("slack:T01PIXEL:D01MI", "Мария Соколова, Игорь Пенкин", "dm", 2, 0),
]
# (conversation index, item index, attribute, expected)
AGENCY_CHECKS: list[tuple[int, int, str, Any]] = [
    # service subtypes are events, their mrkdwn rendered too
    (0, 0, "kind", "channel_join"), (0, 0, "actor.name", "Мария Соколова"),
    (0, 0, "details.text", "@Мария Соколова has joined the channel"),
    (0, 1, "text", "Коллеги, по #ext-penka-coffee клиент опять просит правки & скидку :face_palm:"),
    (0, 2, "kind", "bot_message"), (0, 2, "actor.source_id", "B01GH"), (0, 2, "actor.name", "GitHub"),
    (0, 2, "details.text", "New pull request: #7 Fix banner (https://github.example/pixel/site/pull/7)"),
    # the Slack Connect channel with the Russian client
    (1, 0, "kind", "channel_join"),
    (1, 1, "source_id", "C02PENKA:1756718100.120001"), (1, 1, "timestamp", utc(1, 9, 15, 120001)),
    (1, 1, "sender.source_id", "U03IGOR"), (1, 1, "sender.name", "Игорь Пенкин"),
    (1, 1, "text", "Добрый день! Посты на неделю нужны к пятнице, бриф тут: бриф (https://docs.example.com/brief) :pray:"),
    (1, 1, "reply_to", None),  # a thread's parent (thread_ts == ts) answers nothing
    (1, 2, "reply_to", "C02PENKA:1756718100.120001"),
    (1, 2, "text", "Здравствуйте, @Игорь Пенкин! Получили, план пришлём в среду."),
    (1, 3, "reply_to", "C02PENKA:1756718100.120001"), (1, 3, "edited", utc(1, 9, 35)),
    (1, 3, "text", "Только без задержек, как в прошлый раз <3 дня>"),
    (1, 4, "attachment", AttachmentKind.PHOTO), (1, 4, "text", "План контента на неделю"),
    # <@U01MARIA|maria>: the name users.json gives wins over the label
    (1, 5, "text", "@Мария Соколова это последний раз, когда я вам плачу за такое. Переделайте всё бесплатно к утру!"),
    (1, 6, "sender.name", "a.former"),  # a deactivated user without a real or display name
    (1, 6, "text", "Передаю проект коллеге, все вопросы к @Oleg Brandt"),
    (1, 7, "kind", "channel_topic"), (1, 7, "details.text", "set the channel topic: Контент-план: сентябрь"),
    (1, 8, "sender.source_id", "U0GHOST99"), (1, 8, "sender.name", None),  # nobody knows this user
    # the English client, not in users.json: named by the message's user_profile
    (2, 0, "sender.name", "Sarah Lane"),
    (2, 0, "text", "Hi @here, we need the Instagram captions by EOD. Assets: https://acme.example/assets & the :fire: emoji list"),
    (2, 1, "text", "Sure, @Sarah Lane! Will do, see oleg@pixel.example for files."),
    (2, 2, "reply_to", "C03ACME:1756731600.400001"), (2, 2, "timestamp", utc(1, 18, 55, 400003)),
    (2, 3, "kind", "channel_leave"), (2, 3, "details.text", "@U0GHOST99 has left the channel"),
    (3, 0, "text", "Мария, можно созвониться в 23:00? Очень срочно."), (3, 0, "source_id", "D01MI:1756843260.500001"),
]

REAL_CONVS = [
    ("slack:T0534672TWT:C05019B47SB", "general", "channel", 2, 0),
    ("slack:T0534672TWT:C050FR57M8S", "random", "channel", 1, 0),
    ("slack:T0534672TWT:C0535BV3C6P", "example-channel", "channel", 1, 1),
]
REAL_CHECKS: list[tuple[int, int, str, Any]] = [
    (0, 0, "text", "Hello, world!"), (0, 0, "source_id", "C05019B47SB:1681413317.397479"),
    (0, 0, "timestamp", datetime(2023, 4, 13, 19, 15, 17, 397479, tzinfo=UTC)),
    # the author is missing from users.json (it holds only the GitHub bot): named by user_profile
    (0, 0, "sender.source_id", "U0500003428"), (0, 0, "sender.name", "Example User"),
    (2, 0, "kind", "channel_join"), (2, 0, "details.text", "@Example User has joined the channel"),
    (2, 1, "text", "Example message"),
]


def _agency_zip(tmp: Path, shared: Path | None) -> Path:
    return zip_folder(AGENCY, tmp / "slack export.zip")


def _agency_rezipped(tmp: Path, shared: Path | None) -> Path:
    return zip_folder(AGENCY, tmp / "again.zip", prefix="Pixel Slack export Sep 1 2025 - Sep 2 2025/")


def _agency_renamed(tmp: Path, shared: Path | None) -> Path:
    return zip_folder(AGENCY, tmp / "notes.dat")  # told by content, never by name


def _agency_folder(tmp: Path, shared: Path | None) -> Path:
    return AGENCY


def _real_zip(tmp: Path, shared: Path | None) -> Path:
    assert shared is not None
    return shared / REAL


def _real_folder(tmp: Path, shared: Path | None) -> Path:
    assert shared is not None
    with zipfile.ZipFile(shared / REAL) as zf:
        zf.extractall(tmp / "real")
    return tmp / "real"


SOURCES: list[tuple[str, Callable[[Path, Path | None], Path], bool, list[Any], list[Any]]] = [
    ("agency zip", _agency_zip, False, AGENCY_CONVS, AGENCY_CHECKS),
    ("agency zip inside a folder", _agency_rezipped, False, AGENCY_CONVS, AGENCY_CHECKS),
    ("agency zip renamed", _agency_renamed, False, AGENCY_CONVS, AGENCY_CHECKS),
    ("agency folder", _agency_folder, False, AGENCY_CONVS, AGENCY_CHECKS),
    ("real zip", _real_zip, True, REAL_CONVS, REAL_CHECKS),
    ("real folder", _real_folder, True, REAL_CONVS, REAL_CHECKS),
]


@pytest.mark.parametrize(("label", "make", "needs_shared", "convs", "checks"), SOURCES, ids=[s[0] for s in SOURCES])
def test_every_channel_is_a_conversation(
    request: pytest.FixtureRequest, tmp_path: Path, label: str, make: Callable[[Path, Path | None], Path],
    needs_shared: bool, convs: list[Any], checks: list[Any],
) -> None:
    shared = request.getfixturevalue("shared_dir") if needs_shared else None
    path = make(tmp_path, shared)
    if path.is_file():
        assert detect(path).name == "slack"
    ctx = ReadContext()
    found = read_all(path, ctx)
    assert ctx.skipped == []
    got = [
        (c.source_key, c.title, c.chat_type, sum(isinstance(i, Message) for i in items), sum(isinstance(i, Event) for i in items))
        for c, items in found
    ]
    assert got == convs
    assert all(c.source is Source.SLACK for c, _ in found)
    for conv, index, attr, want in checks:
        assert _get(found[conv][1][index], attr) == want, (conv, index, attr)
    # one notice names the conversations, on the file (or folder) the user gave
    [notice] = ctx.notices
    assert notice.code is NoticeCode.SLACK_CONVERSATIONS and notice.params["count"] == len(convs)
    assert notice.params["names"].startswith(f"#{convs[0][1]}, #{convs[1][1]}")


def test_the_notice_names_channels_and_dms_in_both_languages(tmp_path: Path) -> None:
    ctx = ReadContext()
    read_all(zip_folder(AGENCY, tmp_path / "e.zip"), ctx)
    [notice] = ctx.notices
    names = "#general, #ext-penka-coffee, #ext-acme-social, @Мария Соколова + @Игорь Пенкин"
    assert notice.text("en") == (
        f"a Slack export of 4 conversations, one per channel or direct message: {names}. "
        "To analyse one: clientguard analyze FILE --client NAME (a channel or a person)."
    )
    assert notice.text("ru").startswith(f"выгрузка Slack: 4 переписки, по одной на канал или личный чат: {names}.")


def test_a_folder_holding_the_export_reads_each_file_once(tmp_path: Path) -> None:
    """A folder import meets users.json, channels.json and every day file: the export is
    read once, not once per file, and none of its files is named as not read."""
    export = shutil.copytree(AGENCY, tmp_path / "exports" / "slack")
    (export / "canvases.json").write_text("[]")  # a list newer exports write; it sorts first
    ctx = ReadContext()
    found = read_all(tmp_path / "exports", ctx)
    assert [c.source_key for c, _ in found] == [row[0] for row in AGENCY_CONVS]
    assert [n.code for n in ctx.notices] == [NoticeCode.SLACK_CONVERSATIONS]


def test_a_day_file_alone_is_read_as_its_channel(tmp_path: Path) -> None:
    """A day file copied out of its export is read with the other days of its folder only;
    its users.json and channels.json are missing, which --skip-bad lists."""
    shutil.copytree(AGENCY / "ext-penka-coffee", tmp_path / "ext-penka-coffee")
    day = tmp_path / "ext-penka-coffee" / "2025-09-02.json"
    assert detect(day).name == "slack"
    with pytest.raises(MalformedRecordError, match=r"missing users\.json"):
        read_all(day)
    ctx = ReadContext(skip_bad=True)
    [(conv, items)] = read_all(day, ctx)
    assert [s.error for s in ctx.skipped] == ["missing users.json", "missing channels.json"]
    assert conv.source_key == "slack:T01PIXEL:name:ext-penka-coffee" and conv.title == "ext-penka-coffee"
    assert len(items) == 9
    assert items[1].sender.name is None  # type: ignore[union-attr]  # no users.json: ids only


def test_edit_events_keep_the_latest_text(tmp_path: Path) -> None:
    """Tools that write ``message_changed`` records (not Slack's own export, which writes
    the latest text with an ``edited`` mark) get the same message: latest text, edit time."""
    folder = shutil.copytree(AGENCY, tmp_path / "export")
    day = folder / "D01MI" / "2025-09-02.json"
    records = json.loads(day.read_text(encoding="utf-8"))
    records.append({"type": "message", "subtype": "message_changed", "hidden": True, "ts": "1756844400.000001",
                    "message": {"type": "message", "user": "U03IGOR", "text": "Мария, можно созвониться завтра?",
                                "ts": records[0]["ts"], "edited": {"user": "U03IGOR", "ts": "1756844400.000000"}}})
    day.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    items = read_all(folder)[3][1]
    assert len(items) == 2
    assert items[0].text == "Мария, можно созвониться завтра?"  # type: ignore[union-attr]
    assert items[0].edited == datetime(2025, 9, 2, 20, 20, tzinfo=UTC)  # type: ignore[union-attr]
    assert items[0].source_id == "D01MI:1756843260.500001"


def test_bots_and_slackbot_are_events(tmp_path: Path) -> None:
    """An app posting as its bot user (``user`` and ``bot_id``) and Slackbot's reminders
    are not the client's words, though they carry a user id and no subtype."""
    folder = shutil.copytree(AGENCY, tmp_path / "export")
    day = folder / "D01MI" / "2025-09-02.json"
    records = json.loads(day.read_text(encoding="utf-8"))
    records += [
        {"type": "message", "user": "U05GITHUB", "bot_id": "B01GH", "text": "Build passed", "ts": "1756850000.000001"},
        {"type": "message", "user": "USLACKBOT", "text": "Reminder: send the invoice", "ts": "1756850100.000001"},
    ]
    day.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    items = read_all(folder)[3][1]
    assert [(type(i).__name__, getattr(i, "kind", None)) for i in items] == [
        ("Message", None), ("Message", None), ("Event", "bot_message"), ("Event", "slackbot")]
    assert items[2].actor == Sender("U05GITHUB", "GitHub")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("plain :smile: text", "plain :smile: text"),
        ("<@U1> and <@U1|old name>", "@Anna and @Anna"),
        ("<@U9|someone>", "@someone"),
        ("<@U9>", "@U9"),
        ("<#C1> <#C1|renamed> <#C9|gone> <#C8>", "#general #general #gone #C8"),
        ("<https://x.example/a?b=1&amp;c=2|the brief>", "the brief (https://x.example/a?b=1&c=2)"),
        ("<https://x.example>", "https://x.example"),
        ("<https://x.example|https://x.example>", "https://x.example"),
        ("<mailto:a@b.example|a@b.example>", "a@b.example"),
        ("<!here> <!channel> <!everyone> <!subteam^S1|@designers>", "@here @channel @everyone @designers"),
        ("<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"),
        ("&lt;b&gt; &amp;lt; &amp; 3 &gt; 2", "<b> &lt; & 3 > 2"),
        ("a &lt;@U1&gt; is not a mention", "a <@U1> is not a mention"),
    ],
)
def test_mrkdwn_is_rendered_as_slack_shows_it(text: str, want: str) -> None:
    users = {"U1": "Anna"}
    channels = {"C1": "general"}
    assert render(text, users.get, channels.get) == want


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("1681413317.397479", ("1681413317.397479", datetime(2023, 4, 13, 19, 15, 17, 397479, tzinfo=UTC))),
        ("1681413317", ("1681413317", datetime(2023, 4, 13, 19, 15, 17, tzinfo=UTC))),
        (1681413317.5, ("1681413317.500000", datetime(2023, 4, 13, 19, 15, 17, 500000, tzinfo=UTC))),
        ("", None), ("yesterday", None), ("-5.1", None), ("99999999999.000000", None), (None, None), (True, None),
    ],
)
def test_ts_is_an_id_and_a_utc_time(value: Any, want: Any) -> None:
    assert parse_ts(value) == want


# ---------------------------------------------------------------------------- broken exports


def _broken(tmp: Path, change: Callable[[Path], None]) -> Path:
    folder = shutil.copytree(AGENCY, tmp / "broken")
    change(folder)
    return zip_folder(folder, tmp / "broken.zip")


def _set_record(rel: str, index: int, edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        path = folder / rel
        records = json.loads(path.read_text(encoding="utf-8"))
        edit(records[index])
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")

    return change


# (case, change, where, error, messages left with --skip-bad)
BROKEN: list[tuple[str, Callable[[Path], None], str, str, int]] = [
    ("no users.json", lambda f: (f / "users.json").unlink(), "", "missing users.json", 13),
    ("no channels.json", lambda f: (f / "channels.json").unlink(), "", "missing channels.json", 13),
    ("day file not an array", lambda f: (f / "general" / "2025-09-01.json").write_text('{"ok": true}'),
     "general/2025-09-01.json", "expected a list, got dict", 12),
    ("day file broken JSON", lambda f: (f / "general" / "2025-09-01.json").write_text('[{"ts": '),
     "general/2025-09-01.json", "broken JSON: Expecting value: line 1 column 9 (char 8)", 12),
    ("message without ts", _set_record("ext-penka-coffee/2025-09-01.json", 3, lambda r: r.pop("ts")),
     "ext-penka-coffee/2025-09-01.json[3].ts", "missing ts", 12),
    ("bad ts", _set_record("ext-penka-coffee/2025-09-01.json", 3, lambda r: r.update(ts="вчера")),
     "ext-penka-coffee/2025-09-01.json[3].ts", "expected unix seconds, got 'вчера'", 12),
    ("record not an object", lambda f: (f / "D01MI" / "2025-09-02.json").write_text('["hi", {"type": "message", "user": "U03IGOR", "text": "ok", "ts": "1756843260.500001"}]'),
     "D01MI/2025-09-02.json[0]", "expected an object, got str", 12),
]


@pytest.mark.parametrize(("case", "change", "where", "error", "left"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_export_names_the_member_and_the_place(
    tmp_path: Path, case: str, change: Callable[[Path], None], where: str, error: str, left: int
) -> None:
    export = _broken(tmp_path, change)
    assert detect(export).name == "slack"
    with pytest.raises(MalformedRecordError) as caught:
        read_all(export)
    assert str(caught.value) == f"E102: {export}:{where}: {error}" if where else f"E102: {export}: {error}"
    ctx = ReadContext(skip_bad=True)
    found = read_all(export, ctx)
    assert [(s.file, s.where, s.error) for s in ctx.skipped] == [(str(export), where, error)]
    assert sum(isinstance(i, Message) for _, items in found for i in items) == left


def test_a_broken_day_file_in_a_folder_is_named_by_its_path(tmp_path: Path) -> None:
    folder = shutil.copytree(AGENCY, tmp_path / "export")
    _set_record("ext-penka-coffee/2025-09-01.json", 3, lambda r: r.update(ts="x"))(folder)
    with pytest.raises(MalformedRecordError) as caught:
        read_all(folder)
    assert caught.value.where.file == str(folder / "ext-penka-coffee" / "2025-09-01.json")
    assert caught.value.where.where == "[3].ts"


def test_a_damaged_slack_zip_is_called_damaged(tmp_path: Path) -> None:
    whole = zip_folder(AGENCY, tmp_path / "export.zip").read_bytes()
    half = tmp_path / "half.zip"
    half.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(UnknownFormatError, match="damaged or cut-off zip"):
        detect(half)


def test_a_damaged_member_is_the_damaged_zip_error_at_that_member(tmp_path: Path) -> None:
    """A zip whose table of contents is whole but one member's data is not (a flipped bit)
    raised zlib's "Error -3 while decompressing data" as a traceback."""
    export = zip_folder(AGENCY, tmp_path / "export.zip")
    member = "ext-penka-coffee/2025-09-01.json"
    with zipfile.ZipFile(export) as zf:
        info = zf.getinfo(member)
    data = bytearray(export.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 20
    data[start:start + 10] = bytes(b ^ 0x55 for b in data[start:start + 10])
    export.write_bytes(bytes(data))
    for skip_bad in (False, True):
        with pytest.raises(InputError, match="damaged or cut-off zip") as caught:
            read_all(export, ReadContext(skip_bad=skip_bad))
        assert (caught.value.where.file, caught.value.where.where) == (str(export), member)


def test_a_zip_of_other_json_is_not_slack(tmp_path: Path) -> None:
    other = tmp_path / "backup.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("users.json", '[{"id": 1, "email": "a@b.example"}]')
        zf.writestr("logs/2025-09-01.json", '[{"level": "info", "msg": "started"}]')
    # the refusal says what a zip the importers read holds: a WhatsApp chat or a Slack export
    with pytest.raises(UnknownFormatError, match=r"without a WhatsApp chat .* or a Slack export \(users\.json"):
        detect(other)


# ---------------------------------------------------------------------------- through the store


def _newer_export(tmp: Path) -> Path:
    """The same workspace exported a day later: every old message again, plus a new day."""
    folder = shutil.copytree(AGENCY, tmp / "newer")
    new_day = [
        {"type": "message", "user": "U03IGOR", "text": "Мария, где посты? Жду до обеда.", "ts": "1756886400.600001", "team": "T01PIXEL"},
        {"type": "message", "user": "U01MARIA", "text": "Игорь, пришлём к 14:00.", "ts": "1756887000.600002", "team": "T01PIXEL",
         "thread_ts": "1756886400.600001"},
        {"type": "message", "subtype": "channel_leave", "user": "U04GONE", "text": "<@U04GONE> has left the channel", "ts": "1756887600.600003"},
    ]
    (folder / "ext-penka-coffee" / "2025-09-03.json").write_text(json.dumps(new_day, ensure_ascii=False), encoding="utf-8")
    return zip_folder(folder, tmp / "newer.zip")


def test_reimport_adds_nothing_and_a_newer_export_only_the_new(store: Store, tmp_path: Path) -> None:
    export = zip_folder(AGENCY, tmp_path / "export.zip")
    first = store.import_paths([export], me=["U01MARIA"])
    assert (first.conversations, first.messages_added, first.messages_existing, first.events_added) == (4, 13, 0, 5)
    again = store.import_paths([export])
    assert (again.conversations, again.messages_added, again.messages_existing, again.events_added) == (4, 0, 13, 0)
    newer = store.import_paths([_newer_export(tmp_path)])
    assert (newer.conversations, newer.messages_added, newer.messages_existing, newer.events_added) == (4, 2, 13, 1)
    # the unzipped folder of the same export is the same workspace: nothing new
    folder = store.import_paths([AGENCY])
    assert (folder.messages_added, folder.messages_existing) == (0, 13)


def test_stored_text_has_names_and_evidence_points_into_it(store: Store, tmp_path: Path) -> None:
    """The client's threat is stored with "@Мария Соколова" instead of ``<@U01MARIA|maria>``,
    and the signal's evidence spans cut the same words out of the stored text."""
    from clientguard import analyze_texts

    store.import_paths([zip_folder(AGENCY, tmp_path / "export.zip")], me=["U01MARIA"])
    # list() first: a generator left open keeps its connection and blocks the PostgreSQL teardown
    stored = {m.message.source_id: m.message for m in list(store.iter_messages("Игорь Пенкин"))}
    threat = stored["C02PENKA:1756798800.200001"]
    assert threat.text.startswith("@Мария Соколова это последний раз")
    assert threat.reply_to is None and stored["C02PENKA:1756719000.140003"].reply_to == "C02PENKA:1756718100.120001"
    assert stored["C02PENKA:1756718400.130002"].role == "specialist"
    [verdict] = analyze_texts([threat.text])
    spans = [e for e in verdict.evidence["deadline_pressure"] if e.end - e.start < len(threat.text)]
    assert spans and all(threat.text[e.start:e.end] in ("Переделайте всё бесплатно к утру", "к утру") for e in spans)
