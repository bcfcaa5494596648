"""Backup and restore: the database and the files the users keep, in one archive with checksums.

An archive (`xianning-backup-YYYYmmdd-HHMMSS.tar.gz`, readable by its owner only: it holds password
hashes) has these members:

  manifest.json      first: format, created_at, the database's vendor and file, the Django migrations
                     applied, and the sha256 and size of every other member
  database.dump      PostgreSQL: pg_dump's custom format (restored with pg_restore)
  database.sqlite3   SQLite: a copy made with SQLite's online backup API (consistent while the app runs)
  media/…            MEDIA_ROOT: the providers' evidence files and every other upload
  publications/…     PUBLICATIONS_ROOT (when the setting exists): the files published editions were issued as

The files are taken (as hard links, so a file replaced meanwhile keeps its content) before and again
after the database is dumped, so every file a row of the dump names is in the archive, unless it was
both created and deleted during the dump itself; a file deleted meanwhile may be there without its
row (harmless).

A restore checks every member against the manifest before it touches anything, then writes into an
empty database and empty folders; a database with tables or a folder with files is refused unless
`force` is given. With force the database's content is replaced (take a backup of it first), and a
folder with files is moved aside as `<folder>.before-restore-<time>`, never deleted.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import dj_database_url
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ARCHIVE_PREFIX = "xianning-backup-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class Database:
    """Where a database is: its vendor and its connection settings (Django's NAME, HOST, PORT, USER, PASSWORD)."""

    vendor: str
    config: dict

    @classmethod
    def of_alias(cls, alias="default"):
        return cls.of_config(connections[alias].settings_dict)

    @classmethod
    def of_url(cls, url):
        return cls.of_config(dj_database_url.parse(url))

    @classmethod
    def of_config(cls, config):
        engine = config["ENGINE"]
        if engine.endswith("postgresql"):
            return cls("postgresql", dict(config))
        if engine.endswith("sqlite3"):
            return cls("sqlite", dict(config))
        raise BackupError(f"不支持的数据库 unsupported database engine: {engine}")

    @property
    def label(self):
        if self.vendor == "sqlite":
            return str(self.config["NAME"])
        return f"postgresql://{self.config.get('HOST') or 'localhost'}:{self.config.get('PORT') or 5432}/{self.config['NAME']}"

    # PostgreSQL ---------------------------------------------------------------------------------------

    def pg_arguments(self):
        config = self.config
        arguments = []
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if config.get(key):
                arguments += [option, str(config[key])]
        return arguments + ["--dbname", config["NAME"]]

    def pg_environment(self):
        environment = dict(os.environ)
        if self.config.get("PASSWORD"):
            environment["PGPASSWORD"] = self.config["PASSWORD"]
        return environment

    def pg_connect(self):
        import psycopg

        config = self.config
        return psycopg.connect(
            dbname=config["NAME"],
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            autocommit=True,
        )

    # Both -----------------------------------------------------------------------------------------------

    def table_count(self):
        """How many tables the database holds (0 for a SQLite file that does not exist yet)."""
        if self.vendor == "sqlite":
            path = Path(self.config["NAME"])
            if not path.exists():
                return 0
            with closing(sqlite3.connect(path)) as db:
                return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        try:
            with self.pg_connect() as db:
                return db.execute("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'").fetchone()[0]
        except Exception as exc:
            raise BackupError(
                f"无法连接目标数据库 {self.label}；如数据库尚不存在，请先创建空数据库（createdb）。\n"
                f"cannot connect to {self.label}; create an empty database first (createdb): {exc}"
            ) from exc


def _run(arguments, environment=None):
    try:
        result = subprocess.run(arguments, env=environment, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到 {arguments[0]}，请安装 PostgreSQL 客户端 / {arguments[0]} is missing: {exc}") from exc
    if result.returncode != 0:
        raise BackupError(f"{arguments[0]} 失败 failed ({result.returncode}):\n{result.stderr.strip()}")
    return result


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_roots():
    """The folders of user files an archive carries, by the name of their folder in the archive."""
    roots = {"media": Path(settings.MEDIA_ROOT)}
    if getattr(settings, "PUBLICATIONS_ROOT", None):
        roots["publications"] = Path(settings.PUBLICATIONS_ROOT)
    return roots


def _files_under(root):
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def _applied_migrations(alias):
    applied = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# Backup ----------------------------------------------------------------------------------------------


def dump_database(database, folder):
    """Write the database into `folder`; return the member's name."""
    member = DATABASE_MEMBERS[database.vendor]
    target = Path(folder) / member
    if database.vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
             *database.pg_arguments()],
            database.pg_environment(),
        )
    else:
        source = Path(database.config["NAME"])
        if not source.exists():
            raise BackupError(f"数据库文件不存在 no database at {source}")
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
            live.backup(copy)
    return member


def _snapshot_files(roots, snapshot):
    """Hard-link (or copy) into `snapshot` every user file not there yet; a file deleted meanwhile is skipped.

    Called before and after the database is dumped: a file the dump names existed then, so it was
    there at one of the two passes unless it was both created and deleted while the database was
    being dumped. A file deleted after the first pass stays in the snapshot (a harmless extra).
    """
    for folder, root in roots.items():
        for path in _files_under(root):
            target = snapshot.joinpath(folder, path.relative_to(root))
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                try:
                    os.link(path, target)
                except OSError as exc:
                    if isinstance(exc, FileNotFoundError):
                        raise
                    shutil.copy2(path, target)  # another disk, or links not allowed
            except FileNotFoundError:
                continue


def create_backup(output_dir, *, alias="default", now=None):
    """Write one archive of the database `alias` and the user files into output_dir; return its path."""
    database = Database.of_alias(alias)
    now = now or timezone.now()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{ARCHIVE_PREFIX}{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"
    final = output_dir / name
    partial = output_dir / f".{name}.partial"
    # In the backup folder, so the files' snapshot is hard links on the same disk rather than copies.
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=output_dir) as scratch:
        snapshot = Path(scratch) / "files"
        roots = file_roots()
        _snapshot_files(roots, snapshot)
        database_member = dump_database(database, scratch)
        _snapshot_files(roots, snapshot)
        sources = {database_member: Path(scratch) / database_member}
        for path in _files_under(snapshot):
            sources[str(PurePosixPath(*path.relative_to(snapshot).parts))] = path
        members = {member: {"sha256": _sha256(path), "size": path.stat().st_size} for member, path in sources.items()}
        manifest = {
            "format": FORMAT,
            "application": "xianning-procurement",
            "created_at": now.isoformat(),
            "database": {"vendor": database.vendor, "member": database_member},
            "migrations": _applied_migrations(alias),
            "members": members,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(manifest_bytes), int(now.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(manifest_bytes))
                for member, path in sources.items():
                    info = tar.gettarinfo(str(path), arcname=member)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    with open(path, "rb") as file:
                        tar.addfile(info, file)
            os.replace(partial, final)
        finally:
            if partial.exists():
                partial.unlink()
    return final


def prune_backups(output_dir, keep):
    """Keep the newest `keep` archives in output_dir (by name, which sorts by time); return those removed."""
    archives = sorted(Path(output_dir).glob(f"{ARCHIVE_PREFIX}*.tar.gz"))
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


# Restore ---------------------------------------------------------------------------------------------


def _safe_member_name(name, folders):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return False
    return name in DATABASE_MEMBERS.values() or (len(path.parts) > 1 and path.parts[0] in folders)


def unpack_verified(archive, folder):
    """Read the manifest, unpack every member into `folder` checking its sha256 and size; return the manifest.

    Refuses (BackupError) an archive whose first member is not the manifest, that holds a member the
    manifest does not list or lacks one it lists, a link, a path outside the archive's folders, or a
    member whose checksum differs. Nothing outside `folder` is written.
    """
    folders = set(file_roots()) | {"media", "publications"}
    try:
        tar = tarfile.open(archive, mode="r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"无法读取备份文件 cannot read {archive}: {exc}") from exc
    with tar:
        first = tar.next()
        if first is None or first.name != MANIFEST or not first.isfile():
            raise BackupError("备份文件的第一项不是 manifest.json / the archive does not start with its manifest")
        try:
            manifest = json.loads(tar.extractfile(first).read())
        except ValueError as exc:
            raise BackupError(f"manifest.json 无法解析 cannot be parsed: {exc}") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"不认识的备份格式 unknown backup format: {manifest.get('format')!r}")
        expected = manifest.get("members", {})
        seen = set()
        while (info := tar.next()) is not None:
            name = info.name
            if not info.isfile() or not _safe_member_name(name, folders) or name not in expected or name in seen:
                raise BackupError(f"备份文件含有不应有的成员 unexpected member in the archive: {name!r}")
            seen.add(name)
            target = Path(folder, *PurePosixPath(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            digest, size = hashlib.sha256(), 0
            with tar.extractfile(info) as source, open(target, "wb") as sink:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    sink.write(chunk)
            if digest.hexdigest() != expected[name]["sha256"] or size != expected[name]["size"]:
                raise BackupError(f"校验和不符，备份文件已损坏或被改动 checksum mismatch: {name}")
        missing = set(expected) - seen
        if missing:
            raise BackupError(f"备份文件缺少成员 members missing from the archive: {', '.join(sorted(missing))}")
    return manifest


def _folder_has_files(path):
    return path.is_dir() and any(child.is_file() for child in path.rglob("*"))


def _empty_database(database):
    """PostgreSQL only: drop every table, so pg_restore starts from nothing (SQLite's backup API replaces the file's content)."""
    with database.pg_connect() as db:
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")


def restore_database(database, dump):
    if database.vendor == "postgresql":
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             *database.pg_arguments(), str(dump)],
            database.pg_environment(),
        )
    else:
        target = Path(database.config["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        # The backup API replaces the whole content of the target, whatever it held.
        with closing(sqlite3.connect(dump)) as copy, closing(sqlite3.connect(target)) as live:
            copy.backup(live)


@dataclass
class RestoreReport:
    manifest: dict
    database: str
    moved_aside: list
    unapplied_migrations: list


def restore_backup(archive, *, database=None, roots=None, force=False, now=None):
    """Restore `archive` into `database` (a Database, default: the app's) and the file folders `roots`
    ({"media": Path, …}, default: the app's); return a RestoreReport.

    Every member is checked first; a non-empty database or folder is refused unless force.
    """
    database = database or Database.of_alias()
    roots = roots or file_roots()
    now = now or timezone.now()
    with tempfile.TemporaryDirectory(prefix="restore-") as scratch:
        manifest = unpack_verified(archive, scratch)
        strays = {path.name for path in Path(scratch).iterdir() if path.is_dir()} - set(roots)
        if strays:
            raise BackupError(f"本程序没有存放这些文件的位置 this code has no folder for: {', '.join(sorted(strays))}")
        vendor = manifest["database"]["vendor"]
        if vendor != database.vendor:
            raise BackupError(
                f"备份来自 {vendor} 数据库，不能恢复到 {database.vendor} / a {vendor} backup cannot be restored into "
                f"{database.vendor}"
            )
        busy = []
        if database.table_count():
            busy.append(f"数据库 database {database.label}")
        busy += [f"文件夹 folder {root}" for root in roots.values() if _folder_has_files(root)]
        if busy and not force:
            raise BackupError(
                "目标不是空的，未作任何改动；确认要覆盖时加 --force（make restore … FORCE=1）。\n"
                "the target is not empty, nothing was changed; add --force (FORCE=1) to replace it:\n  "
                + "\n  ".join(busy)
            )
        moved_aside = []
        for root in roots.values():
            if _folder_has_files(root):
                aside = root.with_name(f"{root.name}.before-restore-{timezone.localtime(now):%Y%m%d-%H%M%S}")
                root.rename(aside)
                moved_aside.append(aside)
        if database.vendor == "postgresql" and database.table_count():
            _empty_database(database)
        restore_database(database, Path(scratch) / manifest["database"]["member"])
        for folder, root in roots.items():
            unpacked = Path(scratch) / folder
            root.mkdir(parents=True, exist_ok=True)
            for path in _files_under(unpacked):
                target = root.joinpath(path.relative_to(unpacked))
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(path), str(target))
    on_disk = {key for key in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    applied = {(app, name) for app, names in manifest.get("migrations", {}).items() for name in names}
    unapplied = sorted(f"{app}.{name}" for app, name in on_disk - applied)
    return RestoreReport(manifest, database.label, moved_aside, unapplied)
