"""The download of a qualification condition's evidence file (admin:catalogue_provider_evidence).

Registered by ProviderAdmin.get_urls. Only those who may read the provider's qualification file (municipal
finance, the county office of the provider's region: Provider.objects.qualification_files_open_to) get it;
anyone else gets the admin's 404, the same answer as a file that does not exist. Evidence is never linked by its
media URL: it goes out here as an attachment with the type its content shows (catalogue/evidence_files.py) and
`nosniff`, so a browser never renders one as a page of this site.
"""

from pathlib import PurePosixPath

from django.contrib.admin.utils import unquote
from django.http import FileResponse, Http404
from django.utils.translation import gettext

from catalogue import evidence_files


def evidence_view(request, object_id, check_id, *, model_admin):
    """A condition's evidence file, for those who may read the provider's qualification file; 404 for anyone else."""
    provider = model_admin.get_object(request, unquote(object_id))
    if (
        provider is None
        or not model_admin.has_view_permission(request, provider)
        or not model_admin.file_open(request, provider)
    ):
        raise model_admin.not_found()
    return evidence_response(provider, check_id)


def evidence_response(provider, check_id):
    """The evidence file of one check, as a download; 404 when there is none.

    Always an attachment, typed by what its content is (a file stored before uploads were checked
    by content and not matching its extension goes out as application/octet-stream), with nosniff
    and a sandboxing CSP, so no browser runs it as a page of this site.
    """
    check = provider.qualification_checks.filter(pk=check_id).first()
    if check is None or not check.evidence:
        raise Http404(gettext("没有找到该证明材料。"))
    try:
        handle = check.evidence.open("rb")
    except FileNotFoundError:
        raise Http404(gettext("没有找到该证明材料。")) from None
    suffix = PurePosixPath(check.evidence.name).suffix
    filename = f"{provider.name}-{gettext('条件')}{check.condition}{suffix}"
    content_type = evidence_files.content_type(check.evidence.name, handle)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
