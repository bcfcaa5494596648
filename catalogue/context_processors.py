"""What every page's frame needs: the site's footer marks and the visitor's display mode.

The marks (主办单位, 网站标识码, ICP备案号, 公安机关备案号, contact, 党政机关标识) come from the
settings (SITE_MARKS, read from the environment), so a deployment names its own registrations
and nothing is invented in the default. The display mode (长者模式) comes from a cookie set by a
plain link (catalogue/views/preferences.py) and is part of every cached page's key
(catalogue/public_cache.py), so the server renders the right class and no script is needed.
"""

import re

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from catalogue.preferences import display_mode

CJK = re.compile(r"[\u4e00-\u9fff]")


def site_marks():
    """The footer marks that are set, ready to render; a value left in Chinese carries lang="zh-Hans"."""
    marks = dict(settings.SITE_MARKS)
    # The default organiser has an English name; a configured one stays as written.
    organiser = gettext(marks["organiser"]) if marks["organiser"] else ""
    marks["organiser"] = organiser
    # In a Chinese page a Chinese name is already in the page's language; elsewhere it is marked.
    foreign = CJK.search(organiser) and not (get_language() or "").startswith("zh")
    marks["organiser_html"] = format_html('<span lang="zh-Hans">{}</span>', organiser) if foreign else organiser
    marks["contact_lang"] = "zh-Hans" if CJK.search(marks["contact"]) else ""
    marks["psb_lang"] = "zh-Hans" if CJK.search(marks["psb_number"]) else ""
    marks["icp_lang"] = "zh-Hans" if CJK.search(marks["icp_number"]) else ""
    return marks


def public_site(request):
    return {"site_marks": site_marks(), "display_mode": display_mode(request)}
