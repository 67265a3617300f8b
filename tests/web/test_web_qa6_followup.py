"""QA pass 6 follow-up on the dashboard: what the upload job and the client header left unsaid.

* W2 upload: a file over the size limit was refused with "Файл слишком большой. (≤ 0 MB)":
  no file named, and a limit under 1 MB read as 0.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from clientguard.web.fields import upload_name
from tests.web.web_helpers import TestClient, create_app, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")


@pytest.mark.parametrize(
    ("form", "filename", "lang", "json", "words"),
    [
        ("upload", "big.txt", "ru", False, "Файл «big.txt» больше 98 KB, а это предел размера загрузки."),
        ("upload", "переписка.json", "en", False, "The file “переписка.json” is larger than 98 KB"),
        ("upload", "big.txt", "en", True, "The file “big.txt” is larger than 98 KB"),
        ("contract", "договор.docx", "ru", False, "Файл «договор.docx» больше 98 KB"),
    ],
)
def test_an_oversize_upload_names_the_file_and_the_limit(
    tmp_home: Path, form: str, filename: str, lang: str, json: bool, words: str
) -> None:
    """W2: "Файл слишком большой. (≤ 0 MB)" named neither the file nor a readable limit."""
    with TestClient(create_app(local_config(tmp_home, max_upload_bytes=100_000))) as client:
        client.get("/")
        r = client.post(
            f"/{form}?lang={lang}",
            files={"file": (filename, b"x" * 300_000)},
            data={"csrf": client.cookies.get("cg_csrf") or "", "client": "Игорь"},
            headers={"accept": "application/json" if json else "text/html"},
        )
    assert r.status_code == 413
    text = r.json()["error"]["message"] if json else html.unescape(re.sub(r"<[^>]+>", " ", r.text))
    assert words in text, text[-1500:]
    assert "0 MB" not in text


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (b'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc\r\n--b\r\n'
         b'Content-Disposition: form-data; name="file"; filename="chat.json"\r\n', "chat.json"),
        ('Content-Disposition: form-data; name="file"; filename="чат.txt"\r\n'.encode(), "чат.txt"),
        (b"Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%D1%87.txt\r\n", "ч.txt"),
        (b'Content-Disposition: form-data; name="file"; filename="C:\\Users\\a\\big.zip"\r\n', "big.zip"),
        (b'Content-Disposition: form-data; name="file"; filename="cut-of', ""),  # not all read yet
        (b'Content-Disposition: form-data; name="csrf"\r\n\r\nabc', ""),
    ],
)  # fmt: skip
def test_upload_name_is_read_from_the_start_of_the_body(head: bytes, name: str) -> None:
    assert upload_name(head) == name
