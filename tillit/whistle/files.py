"""Attachments: encrypted while they stream in, stored under random names, deleted by overwriting.

An upload is encrypted chunk by chunk as it arrives (`EncryptingUploadHandler`), under a random key that
lives only in the request's memory, into `pending/<uuid4>`; nothing of it touches the disk in the clear,
not even Django's temporary files (T-19). When the report or message is stored, the file moves to
`files/<uuid4>` and its key is sealed to the report's public key. An upload whose request failed stays
in `pending/` as ciphertext nobody can open, until the hourly clean-up removes it.

A stored file's times are a reporter's moment too (its name is the attachment's id, so `ls -l` would
time the report to the second). So a stored file is dated to the day: its access and modification times
are set to midnight when it is stored (`store`), and the hourly clean-up touches the files stored since
its last run (`stored_times_blur`), so that their change time is that run's, not the upload's.
"""

import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils import timezone

from tillit.core.clock import today
from tillit.whistle import crypto

PENDING = "pending"
STORED = "files"


@dataclass(frozen=True)
class PendingFile:
    """An encrypted upload waiting for its report: where it lies, its key, and what the reporter sent."""

    stored_name: str
    file_key: bytes
    name: str
    size: int
    content_type: str


def directory(kind: str) -> Path:
    path = Path(settings.WHISTLE_FILES_DIR) / kind
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def path_of(kind: str, stored_name: str) -> Path:
    uuid.UUID(stored_name)  # only our own names ever reach the file system
    return directory(kind) / stored_name


def clean_name(name: str) -> str:
    """The name as the reporter's device gave it, without what could harm a handler's screen or disk:
    only the last path part, no control or bidirectional-override characters, at most 200 characters.
    It is only ever shown and offered as a download name, never used as a path."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch
        for ch in name
        if ch.isprintable() and ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )
    return name.strip()[:200] or "bilaga"


def _midnight() -> float:
    """Today's midnight in the installation's time zone, as a file system time."""
    return timezone.make_aware(datetime.combine(today(), datetime.min.time())).timestamp()


def store(pending: PendingFile) -> None:
    """Move an encrypted upload from `pending/` to `files/` (same file system: an atomic rename), dated
    to the day only."""
    target = path_of(STORED, pending.stored_name)
    os.replace(path_of(PENDING, pending.stored_name), target)
    midnight = _midnight()
    os.utime(target, (midnight, midnight))


def stored_times_blur() -> int:
    """Touch the stored files changed since the last run (and their directory), keeping their day-only
    access and modification times: their change time becomes this run's, shared by every file stored
    in the hour, instead of each upload's own. A marker file's time is the last run's, so a file is
    touched once, not every hour. Answers how many files were touched."""
    folder = directory(STORED)
    marker = Path(settings.WHISTLE_FILES_DIR) / ".times-blurred"
    try:
        since = marker.stat().st_mtime
    except FileNotFoundError:
        since = 0.0
    touched = 0
    for path in folder.iterdir():
        try:
            status = path.stat()
            if status.st_ctime > since:
                os.utime(path, (status.st_atime, status.st_mtime))
                touched += 1
        except FileNotFoundError:  # purged meanwhile
            continue
    midnight = _midnight()
    os.utime(folder, (midnight, midnight))
    marker.touch()  # after the touches: their change times are not later than this
    return touched


def open_stored(stored_name: str):
    return path_of(STORED, stored_name).open("rb")


def secure_delete(path: Path) -> None:
    """Overwrite with zeros, flush, then unlink. On SSDs and copy-on-write file systems the old blocks may
    survive: the file was ciphertext from the start, and its key is deleted with the database row."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with path.open("r+b") as handle:
        remaining = size
        zeros = b"\0" * crypto.CHUNK_BYTES
        while remaining > 0:
            handle.write(zeros[: min(remaining, len(zeros))])
            remaining -= len(zeros)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink(missing_ok=True)


class FileTooLarge(StopUpload):
    """The upload passed WHISTLE_MAX_FILE_BYTES or WHISTLE_MAX_FILES; the view answers 413."""

    def __init__(self):
        super().__init__(connection_reset=False)


class EncryptingUploadHandler(FileUploadHandler):
    """Django upload handler: each file is encrypted on the fly into `pending/`, never kept in the clear.

    Set it on the request before anything reads `request.POST` or `request.FILES`. The view gets
    `PendingFile`s from `handler.pending` (in the order the files came); `request.FILES` stays empty.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.pending: list[PendingFile] = []
        self.too_large = False
        self._encryptor = None
        self._handle = None

    def new_file(
        self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None
    ):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        if len(self.pending) >= settings.WHISTLE_MAX_FILES:
            self.too_large = True
            raise FileTooLarge()
        self._stored_name = str(uuid.uuid4())
        self._key = crypto.new_key()
        self._encryptor = crypto.FileEncryptor(self._key)
        self._handle = path_of(PENDING, self._stored_name).open("xb")
        self._handle.write(self._encryptor.header())

    def receive_data_chunk(self, raw_data, start):
        if self._encryptor.plaintext_size + len(raw_data) > settings.WHISTLE_MAX_FILE_BYTES:
            self._abort()
            self.too_large = True
            raise FileTooLarge()
        self._handle.write(self._encryptor.chunk(raw_data))
        return None  # nothing for later handlers: the plaintext goes no further

    def file_complete(self, file_size):
        self._handle.write(self._encryptor.finish())
        self._handle.close()
        self._handle = None
        if self._encryptor.plaintext_size == 0 and not self.file_name:
            path_of(PENDING, self._stored_name).unlink(missing_ok=True)  # an empty file input
            return None
        self.pending.append(
            PendingFile(
                stored_name=self._stored_name,
                file_key=self._key,
                name=clean_name(self.file_name or ""),
                size=self._encryptor.plaintext_size,
                content_type=(self.content_type or "application/octet-stream")[:100],
            )
        )
        return None

    def upload_interrupted(self):
        self._abort()

    def _abort(self):
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            path_of(PENDING, self._stored_name).unlink(missing_ok=True)

    def discard(self) -> None:
        """Remove every pending file of this request (the submission was refused)."""
        for pending in self.pending:
            path_of(PENDING, pending.stored_name).unlink(missing_ok=True)
        self.pending = []
