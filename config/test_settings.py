"""Settings for the test suite: the production settings with the test environment's defaults.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("HTTPS", "false")  # the live server for browser tests speaks plain HTTP

from config.settings import *  # noqa: F403

# Argon2id at libsodium's minimum: the production cost is asserted by tests/whistle/test_crypto.py.
WHISTLE_KDF_OPSLIMIT = 1
WHISTLE_KDF_MEMLIMIT = 64 * 1024
WHISTLE_POW_BITS = 4
