"""Durable sessions: SQLite (WAL, synchronous=FULL) for the log, PNG files for the image versions.

Is: the storage of sessions, their event logs and versions, with one rule for crash safety: image
files are written (temp file, fsync, rename) before the transaction that points to them commits, so
a row never names a missing or half-written file, and a turn exists only once its commit returned.
Is not: the service (auth, queue) or the HTTP layer.

Tables:
    sessions(id, token_sha256, caption, seed, created)   seed: the session's first; later ones are log events
    events(session_id, seq, body)                 the Session log, one JSON event per row, seq 0, 1, 2 ...
    versions(session_id, version, edit_ids, file)  image versions; version 0 is the original
    activity(session_id, touched)                 time of the last stored turn (idle expiry)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

from PIL import Image

from ..errors import ConfigError
from ..session import Event, Version, event_from_dict, event_to_dict

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL, caption TEXT,
                                     seed INTEGER NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,
                                   PRIMARY KEY (session_id, seq));
CREATE TABLE IF NOT EXISTS versions (session_id TEXT NOT NULL, version INTEGER NOT NULL, edit_ids TEXT NOT NULL,
                                     file TEXT NOT NULL, PRIMARY KEY (session_id, version));
CREATE TABLE IF NOT EXISTS activity (session_id TEXT PRIMARY KEY, touched REAL NOT NULL);
"""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    def __init__(self, data_dir: str | Path):
        self.dir = Path(data_dir)
        self.images = self.dir / "images"
        try:
            self.images.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(f"cannot use '{self.dir}' as the data dir: {e.strerror or e}") from None
        # one connection, used under this lock by every thread: a reader never sees another thread's
        # transaction half done
        self._lock = threading.Lock()
        self.db = sqlite3.connect(self.dir / "dialogpaint.sqlite3", check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    # files -------------------------------------------------------------------------------------
    def _write_png(self, session_id: str, version: int, image: Image.Image) -> str:
        folder = self.images / session_id
        folder.mkdir(exist_ok=True)
        name = f"{version:04d}.png"
        tmp = folder / f".{name}.tmp"
        with open(tmp, "wb") as f:
            image.save(f, format="PNG")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, folder / name)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return f"{session_id}/{name}"

    def image_path(self, session_id: str, version: int) -> Path | None:
        with self._lock:
            row = self.db.execute("SELECT file FROM versions WHERE session_id=? AND version=?",
                                  (session_id, version)).fetchone()
        return None if row is None else self.images / row[0]

    # writes ------------------------------------------------------------------------------------
    def create(self, session_id: str, token: str, caption: str | None, seed: int, original: Image.Image) -> None:
        file = self._write_png(session_id, 0, original)
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.execute("INSERT INTO sessions VALUES (?,?,?,?,?)",
                                (session_id, token_hash(token), caption, seed, time.time()))
                self.db.execute("INSERT INTO versions VALUES (?,?,?,?)", (session_id, 0, "[]", file))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                shutil.rmtree(self.images / session_id, ignore_errors=True)  # no file without its session
                raise

    def append(self, session_id: str, first_seq: int, events: list[Event], versions: list[Version]) -> None:
        """Durably add log events (numbered from `first_seq`) and new versions, images first."""
        files = [(v, self._write_png(session_id, v.id, v.image)) for v in versions]
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.executemany("INSERT INTO events VALUES (?,?,?)",
                                    [(session_id, first_seq + i, json.dumps(event_to_dict(e)))
                                     for i, e in enumerate(events)])
                self.db.executemany("INSERT INTO versions VALUES (?,?,?,?)",
                                    [(session_id, v.id, json.dumps(list(v.edit_ids)), f) for v, f in files])
                self.db.execute("INSERT OR REPLACE INTO activity VALUES (?,?)", (session_id, time.time()))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def delete(self, session_id: str) -> None:
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            for table, key in (("events", "session_id"), ("versions", "session_id"), ("activity", "session_id"),
                               ("sessions", "id")):
                self.db.execute(f"DELETE FROM {table} WHERE {key}=?", (session_id,))
            self.db.execute("COMMIT")
        shutil.rmtree(self.images / session_id, ignore_errors=True)

    # reads -------------------------------------------------------------------------------------
    def meta(self, session_id: str) -> dict | None:
        with self._lock:
            row = self.db.execute("SELECT token_sha256, caption, seed, created FROM sessions WHERE id=?",
                                  (session_id,)).fetchone()
        if row is None:
            return None
        return {"id": session_id, "token_sha256": row[0], "caption": row[1], "seed": row[2], "created": row[3]}

    def load(self, session_id: str) -> tuple[list[Event], list[Version]]:
        """The log and every version (images decoded), in order."""
        with self._lock:
            events = self.db.execute("SELECT body FROM events WHERE session_id=? ORDER BY seq", (session_id,)).fetchall()
            rows = self.db.execute("SELECT version, edit_ids, file FROM versions WHERE session_id=? ORDER BY version",
                                   (session_id,)).fetchall()
        log = [event_from_dict(json.loads(b)) for (b,) in events]
        versions = []
        for v, ids, file in rows:
            with Image.open(self.images / file) as im:
                versions.append(Version(v, tuple(json.loads(ids)), im.convert("RGB")))
        return log, versions

    def idle_since(self, cutoff: float, session_id: str | None = None) -> list[str]:
        """Ids of the sessions (or of `session_id` only) whose last turn, else creation, is before `cutoff`."""
        sql = ("SELECT s.id FROM sessions s LEFT JOIN activity a ON a.session_id = s.id "
               "WHERE COALESCE(a.touched, s.created) < ?")
        args: tuple = (cutoff,)
        if session_id is not None:
            sql, args = sql + " AND s.id = ?", (cutoff, session_id)
        with self._lock:
            return [r[0] for r in self.db.execute(sql, args).fetchall()]

    def disk_bytes(self, session_id: str | None = None) -> int:
        """Bytes of the stored image files (of one session, or all)."""
        root = self.images / session_id if session_id else self.images
        return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())

    def remove_orphans(self, older_than: float) -> int:
        """Delete image folders no session names and leftover temp files, last changed before `older_than`
        (a create or a turn in progress is younger); returns how many files went."""
        with self._lock:
            known = {r[0] for r in self.db.execute("SELECT id FROM sessions").fetchall()}
        removed = 0
        for folder in self.images.iterdir():
            if not folder.is_dir():
                continue
            if folder.name not in known and folder.stat().st_mtime < older_than:
                removed += sum(1 for p in folder.iterdir())
                shutil.rmtree(folder, ignore_errors=True)
            elif folder.name in known:
                removed += remove_old_files([folder], older_than, pattern=".*.tmp")
        return removed

    def count(self) -> int:
        with self._lock:
            return self.db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]

    def close(self) -> None:
        self.db.close()


def remove_old_files(folders, older_than: float, pattern: str = "*") -> int:
    """Delete the files matching `pattern` under `folders` last changed before `older_than`; returns how many."""
    removed = 0
    for folder in folders:
        for p in Path(folder).rglob(pattern):
            try:
                if p.is_file() and p.stat().st_mtime < older_than:
                    p.unlink()
                    removed += 1
            except OSError:
                pass  # gone meanwhile, or not ours to delete
    return removed
