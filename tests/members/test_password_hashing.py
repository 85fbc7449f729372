"""Issue 20: passwords are hashed with Argon2id (argon2-cffi) with the parameters of
docs/SECURITY.md, and a hash of the earlier default (PBKDF2) is rehashed at the next login."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password
from django.test import Client

from members.hashers import Argon2idHasher
from tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

# What the production settings say, before the tests' fast_password_hashing fixture swaps in MD5.
CONFIGURED = list(django_settings.PASSWORD_HASHERS)


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = CONFIGURED


def test_the_configured_hasher_is_argon2id_with_the_documented_parameters(production_hashers):
    hasher = get_hasher("default")
    assert isinstance(hasher, Argon2PasswordHasher) and isinstance(hasher, Argon2idHasher)
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 2)
    decoded = hasher.decode(make_password(PASSWORD))
    assert decoded["algorithm"] == "argon2" and decoded["variety"] == "argon2id"
    assert (decoded["time_cost"], decoded["memory_cost"], decoded["parallelism"]) == (3, 65536, 2)
    # The earlier default still verifies (for the upgrade below).
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in CONFIGURED


def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_at_login(production_hashers):
    user = StaffFactory(username="old_hash")
    type(user).objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert type(user).objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")

    response = Client().post("/accounts/login/", {"username": "old_hash", "password": PASSWORD})
    assert response.status_code == 302
    stored = type(user).objects.get(pk=user.pk).password
    assert stored.startswith("argon2$argon2id$") and "m=65536,t=3,p=2" in stored
    # And the new hash signs in as well.
    assert Client().post("/accounts/login/", {"username": "old_hash", "password": PASSWORD}).status_code == 302
