"""Settings for the test suite: the production settings with the test environment's defaults.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("HTTPS", "false")  # the live server for browser tests speaks plain HTTP

from config.settings import *  # noqa: F403

# Argon2id at libsodium's minimum: the production cost is asserted by tests/whistle/test_crypto.py.
WHISTLE_KDF_OPSLIMIT = 1
WHISTLE_KDF_MEMLIMIT = 64 * 1024
WHISTLE_POW_BITS = 4
# Encrypted test files (the demo's too) go to the system's temporary directory, not var/.
WHISTLE_FILES_DIR = Path(tempfile.gettempdir()) / "tillit-test-whistle"
