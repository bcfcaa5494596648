"""Restore an archive written by `backup` into an empty database and empty upload folders (catalogue/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.backups import BackupError, Database, file_roots, restore_backup, unpack_verified


class Command(BaseCommand):
    help = (
        "从备份恢复数据库和上传文件；目标不是空的则拒绝，除非加 --force / "
        "Restore a backup into an empty database and upload folders; a non-empty target is refused unless --force."
    )
    # The target may hold no tables yet; the checks would only read it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz that `backup` wrote")
        parser.add_argument("--force", action="store_true", help="replace a database with tables and move aside folders with files")
        parser.add_argument("--verify-only", action="store_true", help="check the archive's checksums and stop")
        parser.add_argument("--database-url", help="restore into this database instead of the app's (DATABASE_URL form)")
        parser.add_argument("--media-root", help="restore the uploads into this folder instead of MEDIA_ROOT")
        parser.add_argument("--publications-root", help="restore the published files into this folder instead")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        try:
            if options["verify_only"]:
                import tempfile

                with tempfile.TemporaryDirectory(prefix="verify-") as scratch:
                    manifest = unpack_verified(archive, scratch)
                self.stdout.write(
                    f"备份完好 the archive is intact: {len(manifest['members'])} members, "
                    f"{manifest['database']['vendor']}, {manifest['created_at']}"
                )
                return
            roots = file_roots()
            for folder, option in (("media", "media_root"), ("publications", "publications_root")):
                if options[option]:
                    roots[folder] = Path(options[option])
            database = Database.of_url(options["database_url"]) if options["database_url"] else None
            report = restore_backup(archive, database=database, roots=roots, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for aside in report.moved_aside:
            self.stdout.write(f"原有文件已移到 the files that were there are now in {aside}")
        self.stdout.write(
            f"已恢复 restored {archive} ({report.manifest['created_at']}) into {report.database} "
            f"and {', '.join(str(root) for root in roots.values())}"
        )
        if report.unapplied_migrations:
            self.stdout.write(
                "备份早于当前代码，请运行 manage.py migrate / the backup predates this code, run manage.py migrate: "
                + ", ".join(report.unapplied_migrations)
            )
