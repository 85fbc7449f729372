import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The factories hash a password for every user; PBKDF2 would make these tests crawl.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
