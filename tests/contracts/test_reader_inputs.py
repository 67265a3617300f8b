"""What the contract reader refuses, and the encodings it reads (QA F22, F26).

A UTF-16 contract (Windows Notepad's "Unicode") read as "all 15 clauses missing" in
English; an empty file printed 15 "missing" rows without a hint; a chat export was
checked as a Markdown contract; a folder was "no such file".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.contracts import check_contract
from clientguard.contracts.textfile import decode_text, not_a_contract
from clientguard.errors import InputError, UnknownFormatError
from tests.contracts.test_checker import EN_CONTRACT

RU_CONTRACT = """# Договор оказания услуг

1. Предмет договора
1.1. Исполнитель ведёт сообщество Заказчика: 12 постов в месяц.
2. Оплата
2.1. Стоимость услуг — 45 000 рублей в месяц. Оплата в течение 5 рабочих дней.
"""


@pytest.mark.parametrize(
    ("encoding", "lang"),
    [("utf-8", "en"), ("utf-8-sig", "en"), ("utf-16", "en"), ("utf-16-le", None), ("utf-16-be", None)],
)
def test_unicode_contracts_read_as_their_utf8_copy(tmp_path: Path, encoding: str, lang: str | None) -> None:
    text = "\n".join(EN_CONTRACT)
    base = check_contract(_write(tmp_path / "utf8.md", text.encode("utf-8")))
    data = text.encode(encoding)
    if lang is None:  # a BOM written by hand, as some editors do
        data = ("\ufeff" + text).encode(encoding)
    other = check_contract(_write(tmp_path / "other.txt", data))
    assert other.lang == base.lang == "en"
    assert [c.status for c in other.clauses] == [c.status for c in base.clauses]
    assert any(c.status == "present" for c in other.clauses)


def test_cp1251_russian_contract_still_reads(tmp_path: Path) -> None:
    report = check_contract(_write(tmp_path / "c.txt", RU_CONTRACT.encode("cp1251")))
    assert report.lang == "ru" and report.status("payment_terms") != "missing"


@pytest.mark.parametrize(
    ("name", "data", "error", "says"),
    [
        ("empty.md", b"", InputError, "the file is empty; expected a contract"),
        ("blank.txt", b" \n\r\n\t", InputError, "the file is empty"),
        ("bom-only.txt", "\ufeff".encode("utf-16"), InputError, "the file is empty"),
        ("junk.md", b"\x00\x01junk\x02", InputError, "expected UTF-8 text, got binary data"),
        ("utf16-no-bom.txt", "Договор оказания услуг".encode("utf-16-le"), InputError, "UTF-16 without"),
        ("latin.txt", "Vertrag über Leistungen: Preis 100 €, Frist 5 Tage".encode("cp1252"), InputError,
         "expected UTF-8 text, got byte 0xfc"),
        ("chat.json", json.dumps({"name": "Игорь", "messages": [{"id": 1}]}).encode(), UnknownFormatError,
         "got a JSON file (a chat export?)"),
        ("chat.txt", "12.09.2025, 10:00 - Иван: Привет\n12.09.2025, 10:05 - Ольга: ок\n".encode(),
         UnknownFormatError, "got a chat export"),
        ("page.md", b"<!DOCTYPE html><html><body>messages</body></html>", UnknownFormatError, "HTML"),
        ("mail.txt", b"Return-Path: <a@b.c>\nSubject: hi\n\nbody", UnknownFormatError, "e-mail"),
        ("blob.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", UnknownFormatError, "expected a .docx, .pdf"),
    ],
)  # fmt: skip
def test_what_is_no_contract_is_refused_by_name(
    tmp_path: Path, name: str, data: bytes, error: type[Exception], says: str
) -> None:
    path = _write(tmp_path / name, data)
    with pytest.raises(error, match=re.escape(says)) as exc:
        check_contract(path)
    assert name in str(exc.value)


def test_a_folder_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        check_contract(tmp_path / "d")
    with pytest.raises(InputError, match="no such file"):
        check_contract(tmp_path / "missing.md")


@pytest.mark.parametrize(
    "text",
    [
        "# Договор\n\n1. Предмет\n1.1. Исполнитель оказывает услуги.",
        "[Draft] Service agreement\n\n1. Services",  # a bracket, but no JSON
        "Contract dated 12.09.2025, 10:00 Moscow time\n\n1. Services\n2. Fees",  # one dated line
    ],
)
def test_contracts_are_not_mistaken_for_something_else(text: str) -> None:
    assert not_a_contract(text) is None


def test_decode_names_the_byte() -> None:
    with pytest.raises(InputError) as exc:
        decode_text(b"ok \xff\xfe\x00 junk", "x.txt")
    assert str(exc.value).startswith("E100: x.txt:byte ")


def test_cli_warns_when_nothing_looks_like_a_contract(tmp_path: Path) -> None:
    path = _write(tmp_path / "note.md", "Просто заметка про кофе и погоду.".encode())
    en = {"CLIENTGUARD_LANG": "en"}  # contract check's --lang is the contract's language
    r = CliRunner().invoke(build_app(), ["contract", "check", str(path), "--json"], env=en)
    assert r.exit_code == 0
    assert "none of the 15 clauses was found; is this a contract" in r.stderr
    assert json.loads(r.stdout)["clauses"]  # the JSON on stdout stays clean
    ok = _write(tmp_path / "ok.md", "\n".join(EN_CONTRACT).encode())
    quiet = CliRunner().invoke(build_app(), ["contract", "check", str(ok)], env=en)
    assert "is this a contract" not in quiet.stderr


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_an_empty_word_document_is_refused(tmp_path: Path) -> None:
    """An empty .docx printed 15 "missing" rows, as an empty text file once did (QA pass 7)."""
    import docx

    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(InputError, match="the document has no text; expected a contract") as exc:
        check_contract(path)
    assert "empty.docx" in str(exc.value)


def test_a_password_protected_pdf_says_so(tmp_path: Path) -> None:
    """ "not a readable PDF (File has not been decrypted)" named no remedy (QA pass 7); a PDF
    locked only against editing opens with the empty password and is read."""
    from pypdf import PdfWriter

    from tests.contracts.builders import make_pdf

    plain = make_pdf(tmp_path / "plain.pdf", ["# Contract", *EN_CONTRACT], cyrillic=False)
    locked, edit_only = PdfWriter(clone_from=plain), PdfWriter(clone_from=plain)
    locked.encrypt("secret")
    locked.write(tmp_path / "locked.pdf")
    edit_only.encrypt("", owner_password="owner")
    edit_only.write(tmp_path / "edit_only.pdf")
    with pytest.raises(InputError, match="password-protected; save a copy without the password"):
        check_contract(tmp_path / "locked.pdf")
    assert check_contract(tmp_path / "edit_only.pdf").extracted == check_contract(plain).extracted


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("contract.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, r"an old Word \.doc file"),
        # TextEdit's and WordPad's default; it was "got JSON (a chat export?)"
        ("contract.rtf", rb"{\rtf1\ansi {\fonttbl {\f0 Times;}} The fee is USD 1,000.}", "an RTF document"),
        (
            "contract.odt",
            b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text" + b"\x00" * 64,
            r"an OpenDocument text file \(\.odt",
        ),
    ],
)
def test_another_word_processors_file_is_named_with_what_to_do(
    tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    path = _write(tmp_path / name, data)
    with pytest.raises(UnknownFormatError, match=says + r".*save it as \.docx or PDF"):
        check_contract(path)
