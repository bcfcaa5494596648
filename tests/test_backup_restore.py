"""Backup and restore (issue 9, finding 5): one archive holds the database and the evidence files; restored into a
fresh database and folder, every edition, item, history row and evidence file comes back byte for byte.

The data must be committed for pg_dump (another connection) to see it: these tests run outside the test
transaction (transaction=True) and compare every table through the database driver itself.
"""

import hashlib
import io
import json
import sqlite3
import stat
import tarfile
from contextlib import closing
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from catalogue.models import Catalogue, CatalogueItem, QualificationCheck
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

# Not text: every byte value, so a restore that re-encodes anything shows.
EVIDENCE = bytes(range(256)) * 40 + "营业执照副本".encode()


@pytest.fixture
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    if hasattr(settings, "PUBLICATIONS_ROOT"):
        settings.PUBLICATIONS_ROOT = tmp_path / "publications"
    return tmp_path


@pytest.fixture
def kept_data(folders):
    """Editions (published and draft), items with their bodies, their history, and a provider's evidence file."""
    body = f.purchasing_body("咸宁市民政局")
    published = f.edition(year=2016)
    f.item(published, "C0201", "社区居家养老服务", bodies=[body], budget=120000)
    draft = f.edition(year=2017, status=Catalogue.Status.DRAFT)
    changed = f.item(draft, "C0202", "农村特困供养机构托管", bodies=[body])
    changed.notes = "第二次修改：增加夜间值守要求。"
    changed.save()
    provider = f.provider()
    check = QualificationCheck.objects.create(
        provider=provider,
        condition=QualificationCheck.Condition.LEGAL_PERSON,
        result=QualificationCheck.Result.MET,
        evidence=SimpleUploadedFile("营业执照.pdf", EVIDENCE),
    )
    return {"evidence": check.evidence.name}


def back_up(tmp_path):
    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=io.StringIO())
    (archive,) = (tmp_path / "backups").glob("xianning-backup-*.tar.gz")
    return archive


def restore(archive, database_url, tmp_path, *extra, **options):
    out = io.StringIO()
    call_command(
        "restore", str(archive), *extra, database_url=database_url, media_root=str(tmp_path / "restored-media"),
        publications_root=str(tmp_path / "restored-publications"), stdout=out, **options,
    )
    return out.getvalue()


# The two databases, read through their own drivers --------------------------------------------------------


def sqlite_tables(path):
    with closing(sqlite3.connect(path)) as db:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}


def postgres_tables(name):
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(dbname=name, host=settings["HOST"] or None, port=settings["PORT"] or None,
                         user=settings["USER"] or None, password=settings["PASSWORD"] or None) as db:
        names = [row[0] for row in db.execute(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )]
        return {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}


def assert_same_everywhere(before, after, tmp_path, kept):
    assert set(after) == set(before)
    for table in ("catalogue_catalogue", "catalogue_catalogueitem", "catalogue_historicalcatalogueitem",
                  "catalogue_historicalcatalogue", "catalogue_qualificationcheck"):
        assert before[table], f"the test built no rows in {table}"
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the restore"
    restored = tmp_path / "restored-media" / kept["evidence"]
    assert restored.read_bytes() == EVIDENCE


@pytest.mark.sqlite
def test_a_backup_restores_into_a_fresh_sqlite_database_byte_for_byte(kept_data, tmp_path):
    assert connection.vendor == "sqlite", "the SQLite round trip; the PostgreSQL one is marked postgres"
    archive = back_up(tmp_path)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds the password hashes
    target = tmp_path / "restored.sqlite3"
    report = restore(archive, f"sqlite:///{target}", tmp_path)
    assert "已恢复" in report
    assert_same_everywhere(sqlite_tables(connection.settings_dict["NAME"]), sqlite_tables(target), tmp_path, kept_data)
    assert CatalogueItem.objects.count() == 2


@pytest.fixture
def fresh_postgres_database():
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    options = dict(dbname="postgres", host=settings["HOST"] or None, port=settings["PORT"] or None,
                   user=settings["USER"] or None, password=settings["PASSWORD"] or None, autocommit=True)
    with psycopg.connect(**options) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    url = f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{name}"
    yield name, url
    with psycopg.connect(**options) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_a_backup_restores_into_a_fresh_postgresql_database_byte_for_byte(kept_data, tmp_path, fresh_postgres_database):
    assert connection.vendor == "postgresql", "needs DATABASE_URL=postgres://…"
    name, url = fresh_postgres_database
    archive = back_up(tmp_path)
    report = restore(archive, url, tmp_path)
    assert "已恢复" in report
    assert_same_everywhere(postgres_tables(connection.settings_dict["NAME"]), postgres_tables(name), tmp_path, kept_data)
    # Refused a second time: the database now has tables.
    with pytest.raises(CommandError, match="不是空的"):
        restore(archive, url, tmp_path)
    restore(archive, url, tmp_path, force=True)
    assert_same_everywhere(postgres_tables(connection.settings_dict["NAME"]), postgres_tables(name), tmp_path, kept_data)


def test_an_evidence_file_replaced_while_the_database_is_dumped_is_still_in_the_archive(
    kept_data, tmp_path, restore_url, monkeypatch, settings
):
    """The dump names the old file; a clerk replacing the evidence meanwhile removes it from the disk."""
    from catalogue import backups

    real_dump = backups.dump_database

    def dump_then_replace(database, folder):
        member = real_dump(database, folder)
        (Path(settings.MEDIA_ROOT) / kept_data["evidence"]).unlink()
        return member

    monkeypatch.setattr(backups, "dump_database", dump_then_replace)
    archive = back_up(tmp_path)
    restore(archive, restore_url, tmp_path)
    assert (tmp_path / "restored-media" / kept_data["evidence"]).read_bytes() == EVIDENCE


# Refusals -----------------------------------------------------------------------------------------------------


@pytest.fixture
def restore_url(tmp_path, request):
    """A fresh target of the test database's own kind."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    return request.getfixturevalue("fresh_postgres_database")[1]


def test_a_non_empty_target_is_refused_unless_forced(kept_data, tmp_path, restore_url):
    archive = back_up(tmp_path)
    restore(archive, restore_url, tmp_path)
    evidence = tmp_path / "restored-media" / kept_data["evidence"]
    evidence.write_bytes(b"changed since")
    with pytest.raises(CommandError, match="不是空的"):
        restore(archive, restore_url, tmp_path)
    assert evidence.read_bytes() == b"changed since"  # nothing was touched
    out = restore(archive, restore_url, tmp_path, force=True)
    assert evidence.read_bytes() == EVIDENCE
    (aside,) = tmp_path.glob("restored-media.before-restore-*")
    assert (aside / kept_data["evidence"]).read_bytes() == b"changed since"  # moved aside, never deleted
    assert "before-restore" in out


def tampered_copy(archive, tmp_path, change):
    """The archive rewritten with `change(name, data) -> data` applied to each member after the manifest."""
    copy = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(copy, "w:gz") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            data = data if info.name == "manifest.json" else change(info.name, data)
            if data is None:
                continue
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return copy


def test_a_changed_evidence_file_is_refused_before_anything_is_written(kept_data, tmp_path, restore_url):
    archive = back_up(tmp_path)
    bad = tampered_copy(archive, tmp_path, lambda name, data: data[:-1] + b"!" if name.startswith("media/") else data)
    with pytest.raises(CommandError, match="校验和不符"):
        restore(bad, restore_url, tmp_path)
    assert not (tmp_path / "restored.sqlite3").exists()
    assert not (tmp_path / "restored-media").exists()
    with pytest.raises(CommandError, match="校验和不符"):
        call_command("restore", str(bad), verify_only=True)


def test_a_missing_or_unlisted_member_is_refused(kept_data, tmp_path, restore_url):
    archive = back_up(tmp_path)
    without_evidence = tampered_copy(archive, tmp_path, lambda name, data: None if name.startswith("media/") else data)
    with pytest.raises(CommandError, match="缺少"):
        restore(without_evidence, restore_url, tmp_path)


def test_the_manifest_lists_every_member_with_its_checksum_and_the_migrations(kept_data, tmp_path):
    archive = back_up(tmp_path)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert names[0] == "manifest.json"
        for name in names[1:]:
            assert manifest["members"][name]["sha256"] == hashlib.sha256(tar.extractfile(name).read()).hexdigest()
    assert set(names[1:]) == set(manifest["members"])
    assert f"media/{kept_data['evidence']}" in manifest["members"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["catalogue"]
    assert manifest["created_at"]
    out = io.StringIO()
    call_command("restore", str(archive), verify_only=True, stdout=out)
    assert "备份完好" in out.getvalue()


def test_a_backup_of_one_vendor_is_refused_by_the_other(kept_data, tmp_path):
    archive = back_up(tmp_path)
    other = "postgres://postgres@127.0.0.1:5432/nothing" if connection.vendor == "sqlite" else f"sqlite:///{tmp_path / 'x.sqlite3'}"
    with pytest.raises(CommandError, match="不能恢复到"):
        restore(archive, other, tmp_path)
    assert not Path(tmp_path / "restored-media").exists()
