"""Values the security tests send: the address test clients come from, and a PNG-with-HTML
polyglot."""

import struct
import zlib

# Test clients pretend to come from this address (django-axes locks username + address).
ADDRESS = "203.0.113.7"


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


# A valid 1×1 PNG followed by an HTML page: a browser sniffing the bytes could run the script.
POLYGLOT = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    + _png_chunk(b"IEND", b"")
    + b"<html><body><script>alert(1)</script></body></html>"
)
