"""What the AppTest tests share: the app under test, and the files it offers (downloads, images).

AppTest discards its media store after each run; `Media` keeps what the app handed to it, so a test
can open a downloaded report or a page image the way the browser would.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
SAMPLE = ROOT / "analyzer" / "samples" / "sample-purchase-agreement.pdf"
TIMEOUT = 120  # seconds per script run: the first one builds the spaCy pipeline


class Media:
    """Files the app served: static ones by URL, deferred downloads by their placeholder id."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.deferred: dict[str, object] = {}

    def manager(self, storage) -> MediaFileManager:
        media = self

        class Recording(MediaFileManager):
            def add(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
                url = super().add(path_or_data, mimetype, coordinates, file_name, is_for_static_download)
                data = path_or_data.encode() if isinstance(path_or_data, str) else path_or_data
                media.files[url] = bytes(data)
                return url

            def add_deferred(self, data_callable, *args, **kwargs):
                file_id = super().add_deferred(data_callable, *args, **kwargs)
                media.deferred[file_id] = data_callable
                return file_id

        return Recording(storage)

    def download(self, button) -> bytes:
        """The bytes a click on this download button would give."""
        if button.proto.deferred_file_id:
            data = self.deferred[button.proto.deferred_file_id]()
            return data.encode() if isinstance(data, str) else data
        return self.files[button.proto.url]


def record_media(monkeypatch) -> Media:
    """Keep what the app serves during this test (use from a `media` fixture)."""
    m = Media()
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", m.manager)
    return m


def new_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def on_page(page: str) -> AppTest:
    at = new_app()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def download(at: AppTest, label: str):
    return next(b for b in at.download_button if b.label == label)


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def reaches(obj, data: bytes, seen: set[int] | None = None) -> bool:
    """Whether `data` (an uploaded file's bytes) can be reached from `obj`: dataclasses, dicts, lists."""
    seen = seen if seen is not None else set()
    if id(obj) in seen:
        return False
    seen.add(id(obj))
    if isinstance(obj, bytes | bytearray):
        return bytes(obj) == data
    if hasattr(obj, "getvalue") and callable(obj.getvalue):  # an UploadedFile or a buffer
        return True
    if dataclasses.is_dataclass(obj):
        return any(reaches(getattr(obj, f.name), data, seen) for f in dataclasses.fields(obj))
    if isinstance(obj, dict):
        return any(reaches(k, data, seen) or reaches(v, data, seen) for k, v in obj.items())
    if isinstance(obj, list | tuple | set):
        return any(reaches(v, data, seen) for v in obj)
    return False
