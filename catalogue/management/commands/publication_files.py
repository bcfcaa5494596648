"""Check every public edition's published files; write those that are missing.

    manage.py publication_files            # verify; write the files of editions that have none or lack one
    manage.py publication_files --check    # verify only: exit 1 if anything is missing or altered

A file whose checksum no longer matches the one recorded when it was published is reported and
left as it is: it is evidence that something changed the official record, for a person to look
at, not for this command to paper over. A missing file is written anew from the frozen edition.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalogue.models import Catalogue, PublishedFile
from catalogue.services.publication import verify_files, write_publication_files


class Command(BaseCommand):
    help = "核对已公开目录的发布文件，补写缺失的文件 / verify published editions' files, rebuild missing ones"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对，不补写 / verify only, write nothing")

    def handle(self, *args, check=False, **options):
        altered, written, missing = [], [], []
        editions = Catalogue.objects.public().select_related("region", "published_by").order_by("pk")
        for edition in editions:
            problems = verify_files(edition)
            changed = [record for record, problem in problems if problem == "checksum"]
            for record in changed:
                altered.append(record)
                self.stderr.write(f"校验值不符 checksum mismatch: {record.name} (edition {edition.pk})")
            if changed:
                continue  # an altered record is for a person to look at before anything is written
            recorded = set(edition.published_files.values_list("kind", flat=True))
            lacking = {record.kind for record, problem in problems if problem == "missing"}
            lacking |= set(PublishedFile.Kind.values) - recorded
            if not lacking:
                continue
            if check:
                missing.append(edition)
                self.stderr.write(f"缺少发布文件 missing files: {edition} (edition {edition.pk}): {sorted(lacking)}")
                continue
            with transaction.atomic():
                write_publication_files(edition, only=None if not recorded else lacking)
            written.append(edition)
            self.stdout.write(f"已补写 written: {edition} (edition {edition.pk}): {sorted(lacking)}")
        self.stdout.write(
            f"{editions.count()} 版目录 editions checked; {len(written)} written; "
            f"{len(altered)} altered; {len(missing)} missing"
        )
        if altered or missing:
            raise CommandError("发布文件有缺失或被改动 / published files are missing or altered")
