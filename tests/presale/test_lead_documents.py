"""The lead's messages may come as .docx or .pdf, like the brief beside them (QA pass 6, CLI N9).

'screen --messages lead.docx' (the first message pasted into Word) answered
'lead.docx:byte 2: expected UTF-8 text, got binary data (byte 0x03)', and a PDF the same,
while --brief and --contract take both. Now the document's text is read as the lead's
messages; a PDF without text is named as the messages' (not the brief's) file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.errors import InputError
from clientguard.presale.inputs import read_messages
from tests.contracts.builders import make_docx, make_pdf

LINES = [
    "Здравствуйте! Нам нужно вести инстаграм кофейни, срочно, начать надо вчера.",
    "Договор не нужен, мы всегда работаем на доверии.",
]


@pytest.mark.parametrize("make", [make_docx, make_pdf], ids=["docx", "pdf"])
def test_a_lead_document_is_read_as_messages(tmp_path: Path, make: object) -> None:
    path = make(tmp_path / f"lead.{'docx' if make is make_docx else 'pdf'}", LINES)  # type: ignore[operator]
    text = " ".join(m.text for m in read_messages(path))
    assert "начать надо вчера" in text and "работаем на доверии" in text


def test_a_pdf_without_text_is_named_as_the_messages(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(InputError, match="export the messages as text"):
        read_messages(path)
