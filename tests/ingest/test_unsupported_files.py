"""A known file that is not a chat export says what it is and what to give instead (QA pass 6, CLI N19).

'import mail.msg' (Outlook's own format, the usual way a Windows user saves a mail), a PDF
or a .docx answered only "no importer recognises this content". The E101 line now names
the kind of file and the export to give instead; the table of first bytes is data
(ingest/data/unsupported.yaml). Unknown content keeps the plain line.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from clientguard.errors import UnknownFormatError
from clientguard.ingest import detect


def _docx() -> bytes:
    """A whole zip as Word writes one (a .docx with no chat in it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


CASES = [
    ("mail.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".eml or the mailbox as .mbox"),
    ("chat.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF, not a chat export"),
    ("brief.docx", _docx(), "without a WhatsApp chat"),
    ("half.zip", _docx()[:40], "damaged or cut-off zip"),  # a copy that stopped part-way
    ("notes.bin", b"\x00\x01\x02 nothing known", None),
]


@pytest.mark.parametrize(("name", "data", "says"), CASES, ids=[c[0] for c in CASES])
def test_unsupported_files_are_named(tmp_path: Path, name: str, data: bytes, says: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnknownFormatError) as err:
        detect(path)
    text = str(err.value)
    assert "no importer recognises this content" in text and name in text
    if says is None:
        assert text.rstrip().endswith("no importer recognises this content")
    else:
        assert says in text
