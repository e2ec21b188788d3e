"""The landing zone: which file belongs to which partition, and which files are refused.

Everything here works on names only (plus a fingerprint of each accepted file), so the
sensor can scan the zone cheaply and every loader finds its file by the same rules.

Rules (sources.md, top), each judged per file, never per folder: a day or month folder holds
one file of each kind; a file whose name does not match its folder is rejected (misnamed)
and changes nothing else: the folder's own file still loads; when a folder holds the same
file twice (``.jsonl`` and ``.jsonl.gz``, or the 766 report as ``.xlsx`` and ``.csv``) both
are rejected (ambiguous), and the partition keeps its last accepted delivery. Folder names
are partition keys and later become file names in the warehouse: only real dates
(``YYYY-MM-DD`` / ``YYYY-MM``, ASCII digits) within the working calendar and not after
``TTHC_AS_OF`` count; any other name is reported and never used to build a path. Symbolic
links are not followed (they could point outside the landing root), and nothing but a
regular file is ever opened (a FIFO would block the reader forever). Uploads in progress
are ignored: hidden names (``.name``) and ``.tmp``/``.part``/``.partial`` names; a file
changed less than ``settle_seconds`` before the scan is *pending*: left for the next run,
reported, never loaded in part. Hidden folders are reported like any other bad folder name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat as stat_module
import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest.raw_layer import DAY_KEY, MONTH_KEY

# source folder -> (partition kind, [(raw table, file-name regex, key from name)])
DAY = "day"
MONTH = "month"
# folder names are partition keys: ASCII digits only (a folder '２０２４-04-01' would be a
# second partition of the same day)
_DAY_FOLDER = re.compile(DAY_KEY)
_MONTH_FOLDER = re.compile(MONTH_KEY)


@dataclass(frozen=True)
class FileKind:
    table: str
    pattern: re.Pattern  # group "key" = the date in the name, as written
    kind_of_file: str  # the "same file" for the ambiguity rule


SOURCES: dict[str, tuple[str, list[FileKind]]] = {
    "dossier_system": (
        DAY,
        [FileKind("dossier_versions", re.compile(r"^hoso_(?P<key>[0-9]{8})\.jsonl(\.gz)?$"), "hoso")],
    ),
    "dvc_portal": (
        MONTH,
        [
            FileKind(
                "portal_766", re.compile(rf"^dvcqg_766_(?P<key>{MONTH_KEY})\.(xlsx|csv)$"), "766"
            ),
            FileKind(
                "portal_synced", re.compile(rf"^dvcqg_dongbo_(?P<key>{MONTH_KEY})\.csv$"), "dongbo"
            ),
        ],
    ),
    "vneid": (
        DAY,
        [FileKind("vneid_counts", re.compile(r"^vneid_(?P<key>[0-9]{8})\.csv$"), "vneid")],
    ),
}
TABLE_SOURCE = {k.table: src for src, (_, kinds) in SOURCES.items() for k in kinds}
REFERENCE_FILES = ("don_vi", "dvhc", "tthc", "cong_bo", "ngay_nghi", "chi_tieu")
# names of uploads in progress (sources.md, "Names"): never read, never reported
IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial")


def is_upload_in_progress(name: str) -> bool:
    return name.startswith(".") or name.lower().endswith(IN_PROGRESS_SUFFIXES)


@dataclass(frozen=True)
class LandingFile:
    path: str  # relative to the landing root, with "/"
    size: int
    mtime_ns: int
    sha256: str | None

    @property
    def fingerprint(self) -> str:
        return self.sha256 or f"{self.size}:{self.mtime_ns}"


@dataclass(frozen=True)
class Rejection:
    """A landing file or folder refused. ``table``/``partition_key`` are set only when the
    refusal concerns that partition's own delivery (ambiguous: the folder holds its file
    twice); every other refusal (misnamed, unexpected, links, bad folders, non-regular files)
    concerns that file alone and is reported without touching any partition."""

    path: str  # relative to the landing root (for a bad folder name: the folder)
    # misnamed | ambiguous | bad_folder_name | date_out_of_range | unexpected_file | symlink
    # | not_regular_file
    code: str
    message: str
    table: str | None = None
    partition_key: str | None = None


@dataclass(frozen=True)
class ScanRules:
    """What the scan needs besides names: when a file has settled, and which folder dates
    are possible. The defaults accept everything (unit tests of names)."""

    settle_seconds: float = 0.0
    now_ns: int | None = None  # the scan's clock (tests); None = the time of the scan
    first_date: dt.date | None = None  # the working calendar's first day
    last_date: dt.date | None = None  # TTHC_AS_OF

    def is_settled(self, stat) -> bool:
        if self.settle_seconds <= 0:
            return True
        now = self.now_ns if self.now_ns is not None else time.time_ns()
        # the later of mtime and ctime: a copy that keeps the sender's mtime (cp -p,
        # rsync -t) still changes ctime while it is being written
        changed = max(stat.st_mtime_ns, stat.st_ctime_ns)
        return now - changed >= self.settle_seconds * 1_000_000_000

    def date_problem(self, key: str, kind: str) -> str | None:
        """Why a valid partition key is out of range, or None."""
        first = dt.date.fromisoformat(key if kind == DAY else f"{key}-01")
        last = first if kind == DAY else _month_end(first)
        if self.last_date is not None and first > self.last_date:
            return f"dated after the build date TTHC_AS_OF ({self.last_date.isoformat()})"
        if self.first_date is not None and last < self.first_date:
            return (
                f"dated before the working calendar's first day ({self.first_date.isoformat()}): "
                "its working days cannot be counted"
            )
        return None


def _month_end(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


@dataclass
class LandingInventory:
    # raw table -> partition key -> the file for it
    partitions: dict[str, dict[str, LandingFile]] = field(default_factory=dict)
    reference: dict[str, LandingFile] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    # settled too recently: left for the next run (paths relative to the landing root)
    pending: list[str] = field(default_factory=list)

    def files(self, table: str) -> dict[str, LandingFile]:
        return self.partitions.get(table, {})

    def rejections_for(self, table: str, partition_key: str) -> list[Rejection]:
        return [r for r in self.rejections if r.table == table and r.partition_key == partition_key]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_valid_partition_key(key: str, kind: str) -> bool:
    """A real calendar date in the exact form of its kind (no traversal, no '2024-13-40')."""
    pattern, fmt = (_DAY_FOLDER, "%Y-%m-%d") if kind == DAY else (_MONTH_FOLDER, "%Y-%m")
    if not isinstance(key, str) or not pattern.fullmatch(key):
        return False
    try:
        dt.datetime.strptime(key, fmt)
    except ValueError:
        return False
    return True


def _name_key_to_partition(name_key: str, kind: str) -> str:
    # hoso_20240401 -> 2024-04-01; dvcqg_766_2024-04 -> 2024-04
    if kind == DAY:
        return f"{name_key[:4]}-{name_key[4:6]}-{name_key[6:]}"
    return name_key


# sha256 by (file identity, size, mtime, ctime). One `tthc build` scans the landing zone once
# per run (5-6 times); a year of extracts is ~1 GB to hash at 1M dossiers, 22 GB at 10M (minutes
# when it is not in the page cache). The memo lives for the process, and `scan_landing` keeps it
# across builds in a file of the warehouse (`hash_cache`), so that a nightly build hashes only
# the new files: what it costs grows with the new data, not with history. Trusting the stat
# identity is the rule git uses for its index: any write or rename changes the file's ctime,
# which no user can set back, so a rewritten file is hashed again.
_SHA256_MEMO: dict[tuple, str] = {}
# a file hashed within this many seconds of its last change may still have been written in
# the same clock tick ("racy git"): its hash is used by this process but not kept
_RACY_SECONDS = 2
_UNSETTLED: set[tuple] = set()


def _identity(path: Path, stat) -> tuple:
    return (os.path.abspath(path), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _fingerprint(path: Path, rel: str, with_sha256: bool) -> LandingFile:
    stat = path.stat()
    digest = None
    if with_sha256:
        identity = _identity(path, stat)
        digest = _SHA256_MEMO.get(identity)
        if digest is None:
            if stat.st_ctime_ns >= time.time_ns() - _RACY_SECONDS * 1_000_000_000:
                _UNSETTLED.add(identity)
            digest = _SHA256_MEMO[identity] = sha256_of(path)
    return LandingFile(rel, stat.st_size, stat.st_mtime_ns, digest)


def _read_hash_cache(cache_file: Path) -> None:
    """Adds the hashes kept by earlier builds to this process's memo (an unreadable cache
    only means hashing again)."""
    try:
        entries = json.loads(cache_file.read_text(encoding="utf-8"))["files"]
        for *identity, digest in entries:
            _SHA256_MEMO.setdefault(tuple(identity), digest)
    except (OSError, ValueError, KeyError, TypeError):
        return


def _write_hash_cache(cache_file: Path, landing_dir: Path) -> None:
    """Keeps the hashes of the files under ``landing_dir`` that exist now, unchanged."""
    root = os.path.join(os.path.abspath(landing_dir), "")
    entries = []
    for identity, digest in sorted(_SHA256_MEMO.items()):
        path = identity[0]
        if not path.startswith(root) or identity in _UNSETTLED:
            continue
        try:
            if _identity(Path(path), os.stat(path)) != identity:
                continue
        except OSError:
            continue
        entries.append([*identity, digest])
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    temporary = cache_file.with_name(f".{cache_file.name}.{os.getpid()}")
    temporary.write_text(json.dumps({"version": 1, "files": entries}), encoding="utf-8")
    os.replace(temporary, cache_file)


def _entry_refusal(entry: Path, rel: str) -> Rejection | None:
    """A link or anything but a regular file, refused without being opened."""
    if entry.is_symlink():
        return Rejection(rel, "symlink", f"{rel}: symbolic link, not followed")
    mode = entry.lstat().st_mode
    if stat_module.S_ISDIR(mode):
        return Rejection(rel, "unexpected_file", f"{rel}: unexpected folder, ignored")
    if not stat_module.S_ISREG(mode):
        return Rejection(
            rel, "not_regular_file",
            f"{rel}: rejected: not a regular file (a pipe, socket or device); it is never read",
        )  # fmt: skip
    return None


def scan_partition_folder(
    landing_dir: Path,
    source: str,
    key: str,
    with_sha256: bool = True,
    rules: ScanRules = ScanRules(),
    pending: list[str] | None = None,
) -> tuple[dict[str, LandingFile], list[Rejection]]:
    """The accepted files (table -> file) and rejections of one partition folder.

    ``key`` must already be a valid partition key: it is checked again here because it
    becomes part of a path. Files not yet settled are appended to ``pending``.
    """
    kind, kinds = SOURCES[source]
    if not is_valid_partition_key(key, kind):
        raise ValueError(f"invalid partition key {key!r} for {source}")
    folder = Path(landing_dir) / source / key
    accepted: dict[str, LandingFile] = {}
    rejections: list[Rejection] = []
    if not folder.is_dir() or folder.is_symlink():
        return accepted, rejections
    # kind of file -> [(table, rel path, path)]
    found: dict[str, list[tuple[str, str, Path]]] = {}
    for entry in sorted(folder.iterdir()):
        name = entry.name
        rel = f"{source}/{key}/{name}"
        if is_upload_in_progress(name):
            continue
        refusal = _entry_refusal(entry, rel)
        if refusal is not None:
            rejections.append(refusal)
            continue
        for file_kind in kinds:
            match = file_kind.pattern.match(name)
            if match:
                break
        else:
            rejections.append(
                Rejection(rel, "unexpected_file", f"{rel}: unexpected file name, ignored")
            )
            continue
        name_key = _name_key_to_partition(match.group("key"), kind)
        if name_key != key:
            # a stray file: refused on its own, the folder's own file still loads
            rejections.append(
                Rejection(
                    rel,
                    "misnamed",
                    f"{rel}: rejected: the {'day' if kind == DAY else 'month'} in the file "
                    f"name ({name_key}) does not match its folder ({key})",
                )
            )
            continue
        if not rules.is_settled(entry.stat()):
            if pending is not None:
                pending.append(rel)
            continue
        found.setdefault(file_kind.kind_of_file, []).append((file_kind.table, rel, entry))
    for candidates in found.values():
        if len(candidates) > 1:
            names = ", ".join(rel for _, rel, _ in candidates)
            for table, rel, _ in candidates:
                rejections.append(
                    Rejection(
                        rel,
                        "ambiguous",
                        f"{rel}: rejected: ambiguous delivery, the folder holds the same file "
                        f"twice ({names}); remove one",
                        table,
                        key,
                    )
                )
            continue
        table, rel, path = candidates[0]
        accepted[table] = _fingerprint(path, rel, with_sha256)
    return accepted, rejections


def scan_landing(
    landing_dir: Path,
    with_sha256: bool = True,
    hash_cache: Path | None = None,
    rules: ScanRules = ScanRules(),
) -> LandingInventory:
    """Every partition file of the landing zone, with its fingerprint, and every refusal.

    ``hash_cache``: a file where the sha256 of unchanged files is kept between processes.
    """
    landing_dir = Path(landing_dir)
    if with_sha256 and hash_cache is not None:
        _read_hash_cache(hash_cache)
    inventory = _scan(landing_dir, with_sha256, rules)
    if with_sha256 and hash_cache is not None:
        _write_hash_cache(hash_cache, landing_dir)
    return inventory


def _scan(landing_dir: Path, with_sha256: bool, rules: ScanRules) -> LandingInventory:
    inventory = LandingInventory(partitions={k.table: {} for _, ks in SOURCES.values() for k in ks})
    for source, (kind, _) in SOURCES.items():
        root = landing_dir / source
        if not root.is_dir():
            continue
        for entry in sorted(root.iterdir()):
            rel = f"{source}/{entry.name}"
            if is_upload_in_progress(entry.name) and not entry.is_dir():
                continue  # uploads in progress; hidden folders are reported
            if entry.is_symlink():
                inventory.rejections.append(
                    Rejection(rel, "symlink", f"{rel}: symbolic link, not followed")
                )
                continue
            if not entry.is_dir():
                inventory.rejections.append(
                    Rejection(
                        rel, "unexpected_file", f"{rel}: file outside a partition folder, ignored"
                    )
                )
                continue
            if not is_valid_partition_key(entry.name, kind):
                expected = "YYYY-MM-DD" if kind == DAY else "YYYY-MM"
                inventory.rejections.append(
                    Rejection(
                        f"{source}/{entry.name!r}",
                        "bad_folder_name",
                        f"{source}/{entry.name!r}: folder name is not a {expected} date; "
                        "its files are ignored",
                    )
                )
                continue
            problem = rules.date_problem(entry.name, kind)
            if problem is not None:
                inventory.rejections.append(
                    Rejection(
                        rel, "date_out_of_range",
                        f"{rel}: rejected: folder {problem}; its files are not loaded",
                    )
                )  # fmt: skip
                continue
            accepted, rejections = scan_partition_folder(
                landing_dir, source, entry.name, with_sha256, rules, inventory.pending
            )
            for table, landed in accepted.items():
                inventory.partitions[table][entry.name] = landed
            inventory.rejections.extend(rejections)
    ref_root = landing_dir / "reference"
    if ref_root.is_dir():
        for entry in sorted(ref_root.iterdir()):
            rel = f"reference/{entry.name}"
            if is_upload_in_progress(entry.name):
                continue
            refusal = _entry_refusal(entry, rel)
            stem = entry.name.removesuffix(".csv")
            if refusal is not None:
                inventory.rejections.append(refusal)
            elif not (entry.name.endswith(".csv") and stem in REFERENCE_FILES):
                inventory.rejections.append(
                    Rejection(rel, "unexpected_file", f"{rel}: unexpected file name, ignored")
                )
            elif not rules.is_settled(entry.stat()):
                inventory.pending.append(rel)
            else:
                inventory.reference[stem] = _fingerprint(entry, rel, with_sha256)
    return inventory


def find_partition_file(
    landing_dir: Path, table: str, partition_key: str, rules: ScanRules = ScanRules()
) -> tuple[LandingFile | None, tuple[str, str] | None]:
    """The file of one partition, or (path, problem) saying why there is none to load.

    Only a refusal of this partition's own delivery (ambiguous) stands in its way: a stray
    file beside it is refused on its own.
    """
    source = TABLE_SOURCE[table]
    kind = SOURCES[source][0]
    if not is_valid_partition_key(partition_key, kind):
        raise ValueError(f"invalid partition key {partition_key!r} for {table}")
    accepted, rejections = scan_partition_folder(landing_dir, source, partition_key, rules=rules)
    mine = [r for r in rejections if r.table == table and r.partition_key == partition_key]
    if mine:
        problem = "; ".join(r.message.split(": rejected: ", 1)[-1] for r in mine)
        return None, (", ".join(r.path for r in mine), problem)
    if table not in accepted:
        return None, (f"{source}/{partition_key}/", f"no {table} file delivered")
    return accepted[table], None
