"""Compare two public editions of one region: /editions/<pk>/compare/?with=<other pk>."""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.selectors.comparison import compare_editions, default_partner, older_first
from catalogue.models import Catalogue
from catalogue.public_cache import public_page


class CompareForm(forms.Form):
    """One select, named `with` as in the URL, of the region's other public editions."""

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["with"] = forms.TypedChoiceField(
            label=_("与哪一版目录比较"),
            coerce=int,
            choices=[
                (
                    candidate.pk,
                    gettext("%(year)s年 第%(revision)s版（%(status)s）")
                    % {"year": candidate.year, "revision": candidate.revision, "status": candidate.get_status_display()},
                )
                for candidate in candidates
            ],
        )


@public_page
def compare(request, pk):
    edition = get_object_or_404(Catalogue.objects.public().select_related("region"), pk=pk)
    candidates = [
        other
        for other in Catalogue.objects.public().filter(region=edition.region).order_by("-year", "-revision")
        if other.pk != edition.pk
    ]
    notices = []
    raw = request.GET.get("with", "").strip()
    other = {str(candidate.pk): candidate for candidate in candidates}.get(raw) if raw else None
    chosen = other is not None
    if raw and other is None:
        if raw == str(edition.pk):
            notices.append(gettext("不能与同一版目录比较，请在列表中另选一版。"))
        else:
            # One message for unknown, unpublished and other regions' editions alike: a draft's existence stays private.
            notices.append(
                gettext("所选目录不存在、未公开或不属于%(region)s，请在列表中另选一版。") % {"region": edition.region.name}
            )
    if other is None:
        other = default_partner(edition, candidates)
    if not candidates:
        notices.append(gettext("%(region)s暂无其他已公开的目录可供比较。") % {"region": edition.region.name})

    form = CompareForm(initial={"with": other.pk if other else None}, candidates=candidates)
    diff = None
    if other is not None:
        old, new = older_first(edition, other)
        diff = compare_editions(old, new)
    return render(
        request,
        "catalogue/compare.html",
        {"edition": edition, "other": other, "form": form, "diff": diff, "notices": notices, "chosen": chosen,
         "candidates": candidates},
    )
