"""A real HTTP server on loopback, in a thread, that serves images the tests put on it.

``ImageServer.add(path, body, status=200, content_type=...)`` publishes a file; every request is
kept in ``requests`` (path and headers), so tests can check what the client sent and how often,
never touching the internet. ``image_bytes`` draws small real images with Pillow.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image


def image_bytes(
    width: int = 460, height: int = 650, fmt: str = "JPEG", color=(200, 80, 60)
) -> bytes:
    out = io.BytesIO()
    mode = "RGBA" if fmt in ("PNG", "WEBP") else "RGB"
    fill = (*color, 255) if mode == "RGBA" else color
    Image.new(mode, (width, height), fill).save(out, fmt)
    return out.getvalue()


@dataclass
class Seen:
    path: str
    headers: dict


@dataclass
class ImageServer:
    files: dict = field(default_factory=dict)  # path -> (status, content type, body)
    requests: list[Seen] = field(default_factory=list)
    base: str = ""

    def add(self, path: str, body: bytes, *, status: int = 200, content_type: str = "image/jpeg"):
        self.files[path] = (status, content_type, body)
        return self.url(path)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for seen in self.requests if seen.path == path)


def serve() -> tuple[ImageServer, ThreadingHTTPServer]:
    state = ImageServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            state.requests.append(Seen(self.path, dict(self.headers)))
            status, content_type, body = state.files.get(self.path, (404, "text/plain", b"no"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server
