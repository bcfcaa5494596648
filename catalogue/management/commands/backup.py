"""Write one archive of the database and the uploaded files, with a manifest of checksums (catalogue/backups.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.backups import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个归档文件 / Back up the database and the uploaded files into one archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", default=settings.BACKUP_DIR, help="where the archive goes (default: DJANGO_BACKUP_DIR)"
        )
        parser.add_argument(
            "--keep", type=int, default=0, help="then keep only the newest N archives in that folder (0: keep all)"
        )

    def handle(self, *args, **options):
        try:
            archive = create_backup(options["output_dir"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for old in prune_backups(options["output_dir"], options["keep"]) if options["keep"] else []:
            self.stdout.write(f"已删除旧备份 removed {old}")
        self.stdout.write(f"已备份 backed up: {archive}")
        return None
