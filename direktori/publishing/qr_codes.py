"""The QR codes of a booklet's entries, made in a second process while the booklet is laid out.

A thousand codes take two to three seconds of pure Python (segno): made first, in the same
process, they delayed the layout by as much. `QRCodes` starts `python -m
direktori.publishing.qr_codes` (a process of its own: nothing of this one's state, no database
connection, goes with it), writes it the URLs and reads back the PNGs while this process renders
the template and WeasyPrint parses it and computes its styles; the entries' `<img>` point at
`qr:N`, and the PDF's fetcher waits for the codes only when WeasyPrint first asks for one. A
small booklet makes its codes in this process: starting another costs more.

This module imports nothing of Django: the child process imports only it, segno and Pillow.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import segno
from PIL import Image

SCHEME_NAME = "qr"
SCHEME = f"{SCHEME_NAME}:"
#: From how many codes they are made in another process.
IN_BACKGROUND_FROM = 200
#: Pixels a module.
SCALE = 4
_LENGTH = struct.Struct(">I")
_PROJECT = Path(__file__).resolve().parents[2]


class QRCodeError(RuntimeError):
    pass


def png(url: str) -> bytes:
    """An 8-bit grey PNG, four pixels a module, drawn without smoothing (`image-rendering:
    pixelated`); one pixel a module was smoothed into grey by some rasterisers (poppler), and
    phones could not read it. Grey, not segno's 1-bit PNG: WeasyPrint converts a 1-bit or palette
    image to RGB and encodes it again before its own encoding for the PDF (over a second for a
    thousand codes); a grey PNG it takes as it is. PNG, not SVG: an SVG's path is drawn module by
    module. The mask is fixed: choosing the best of eight (segno's default) was most of the
    encoding time, and any mask decodes."""
    code = segno.make(url, error="m", mask=0)
    rows = [bytes(0 if dark else 255 for dark in row) for row in code.matrix_iter(border=1)]
    side = len(rows)
    image = Image.frombytes("L", (side, side), b"".join(rows))
    image = image.resize((side * SCALE, side * SCALE), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _in_child(urls: list[str]) -> list[bytes]:
    child = subprocess.run(  # noqa: S603 -- this interpreter, this module, no shell
        [sys.executable, "-m", __name__],
        input=json.dumps(urls).encode(),
        capture_output=True,
        cwd=_PROJECT,
        check=False,
    )
    if child.returncode != 0:
        raise QRCodeError(f"QR codes not made: {child.stderr.decode(errors='replace')[-500:]}")
    images, data = [], memoryview(child.stdout)
    while data:
        (length,) = _LENGTH.unpack(data[: _LENGTH.size])
        images.append(bytes(data[_LENGTH.size : _LENGTH.size + length]))
        data = data[_LENGTH.size + length :]
    if len(images) != len(urls):
        raise QRCodeError(f"{len(images)} QR codes made for {len(urls)} URLs")
    return images


class QRCodes:
    """The codes of `urls`, addressed as `uri(i)` in the template; `response(uri)` serves them to
    the PDF's fetcher. Use as a context manager: it waits for the other process to end."""

    def __init__(self, urls: list[str], *, in_background: bool | None = None) -> None:
        if in_background is None:
            in_background = len(urls) >= IN_BACKGROUND_FROM
        self._waiter: ThreadPoolExecutor | None = None
        self._images: Future[list[bytes]]
        if in_background:
            # A thread only waits on the child's pipes: the codes are made in the child.
            self._waiter = ThreadPoolExecutor(1, thread_name_prefix="qr-codes")
            self._images = self._waiter.submit(_in_child, urls)
        else:
            self._images = Future()
            self._images.set_result([png(url) for url in urls])

    @staticmethod
    def uri(index: int) -> str:
        return f"{SCHEME}{index}"

    def response(self, uri: str) -> tuple[bytes, str]:
        """The PNG of `uri` and its media type (waits for the other process the first time)."""
        return self._images.result()[int(uri.removeprefix(SCHEME))], "image/png"

    def __enter__(self) -> QRCodes:
        return self

    def __exit__(self, *_exc: Any) -> None:
        if self._waiter is not None:
            self._waiter.shutdown(wait=True)


def main() -> None:
    """The child: URLs as a JSON list on standard input; each PNG, after its length (4 bytes,
    big-endian), on standard output."""
    out = sys.stdout.buffer
    for url in json.load(sys.stdin):
        image = png(url)
        out.write(_LENGTH.pack(len(image)) + image)
    out.flush()


if __name__ == "__main__":
    main()
