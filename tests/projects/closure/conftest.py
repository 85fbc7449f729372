"""Fixtures of the closure, replication and history tests: the API client (``api``, ``api_as``)
and the people of the shared tree (市总 ── 江阴 ── 澄江; 市总 ── 宜兴) come from tests/conftest.py."""
