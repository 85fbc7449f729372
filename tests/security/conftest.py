"""Fixtures of the security tests: clients signed in as anyone, a small scoring roadshow, and a
PNG-with-HTML polyglot."""

import struct
import zlib

import pytest
from django.test import Client

from evaluations import services as evaluation_services
from tests.evaluations.conftest import build_roadshow, shortlisted
from tests.factories import JurorFactory

# Test clients pretend to come from this address (django-axes locks username + address).
ADDRESS = "203.0.113.7"


@pytest.fixture
def client_for(db):
    """``client_for(user)`` is a test client signed in as ``user`` (``None``: anonymous)."""

    def make(user=None, **defaults):
        client = Client(**{"REMOTE_ADDR": ADDRESS, **defaults})
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def jurors(tree):
    return [JurorFactory(username=f"sec_juror_{i}", name=f"评委{i}") for i in range(2)]


@pytest.fixture
def scoring(people, campaign, tree, jurors):
    """A started roadshow of two shortlisted projects, two jurors seated."""
    projects = [shortlisted(campaign, tree["county_a"], title="职工书屋"),
                shortlisted(campaign, tree["county_b"], title="安康杯竞赛")]
    roadshow = build_roadshow(people["admin"], campaign, projects, jurors)
    return evaluation_services.start_roadshow(actor=people["admin"], roadshow=roadshow)


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
