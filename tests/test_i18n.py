"""The English translation: Chinese is the source and the default, English a complete second language.

The public pages and the admin switch their own words to English while the catalogue's data
(item names, bodies, regions, official titles) stays Chinese; locale/en holds no untranslated or
fuzzy entry, and the committed django.mo says exactly what django.po says.
"""

import csv
import gettext as gnu_gettext
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from catalogue import imports
from catalogue.models import Catalogue, ProcurementMethod
from tests import factories as f

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE / "django.po"
MO_FILE = LOCALE / "django.mo"

CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def page(response):
    assert response.status_code == 200, response.status_code
    return response.getvalue().decode()


def nav(html):
    """The site's main navigation, where every word is interface, none data."""
    match = re.search(r'<nav class="wrap site-nav".*?</nav>', html, re.S)
    assert match, "no main navigation"
    return match.group(0)


def footer(html):
    match = re.search(r'<footer class="site-footer.*?</footer>', html, re.S)
    assert match, "no footer"
    return match.group(0)


@pytest.fixture(autouse=True)
def _back_to_chinese():
    """LocaleMiddleware leaves the request's language active in the thread; the next test file must not inherit it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def english(client):
    """A visitor who pressed the language button (the set_language view stores the choice in a cookie)."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


@pytest.fixture
def city():
    body = f.purchasing_body("咸宁市民政局", short_name="市民政局")
    edition = f.edition(document_number="咸财综发〔2016〕12号", published_on=date(2016, 4, 8))
    item = f.item(
        edition,
        "C0201",
        "社区居家养老服务",
        bodies=[body],
        is_pilot=True,
        budget=Decimal("120000"),
        procurement_method=ProcurementMethod.COMPETITIVE_CONSULTATION,
        provider_requirements="依法登记的养老服务类社会组织。",
    )
    f.item(edition, "F0102", "农村电影放映", bodies=[body], code="F0102-01")
    provider = f.provider("咸宁市阳光社会工作服务中心", categories=("C02",), evaluation_grade="4A")
    return {"edition": edition, "item": item, "body": body, "provider": provider}


# --- choosing the language ------------------------------------------------------------------------


def test_default_language_is_chinese(client, city):
    html = page(client.get(reverse("catalogue:home")))
    assert '<html lang="zh-hans" ' in html
    assert "检索事项" in nav(html)
    assert "承接主体名录" in nav(html)
    assert "Search items" not in html
    # The switch offers English, written in English.
    assert 'language=en' in html and ">English</a>" in html


def test_language_button_switches_to_english_and_back(client, city):
    home = reverse("catalogue:home")
    client.post(reverse("set_language"), {"language": "en", "next": home})
    html = page(client.get(home))
    assert '<html lang="en" ' in html
    assert "Search items" in nav(html)
    assert ">简体中文</a>" in html  # the way back, in its own language

    client.post(reverse("set_language"), {"language": "zh-hans", "next": home})
    assert "检索事项" in nav(page(client.get(home)))


def test_accept_language_english_is_honoured(client, city):
    html = page(client.get(reverse("catalogue:home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"))
    assert "Search items" in nav(html)


def test_unsupported_accept_language_falls_back_to_chinese(client, city):
    html = page(client.get(reverse("catalogue:home"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9"))
    assert "检索事项" in nav(html)


# --- public pages in English ----------------------------------------------------------------------


def test_english_navigation_and_footer_carry_no_chinese_words(english, city):
    html = page(english.get(reverse("catalogue:home")))
    assert CJK.search(nav(html)) is None, nav(html)
    for label in ("Home", "Search items", "Service provider directory", "Statistics"):
        assert label in nav(html)
    assert "Xianning Municipal Finance Bureau" in footer(html)
    assert "主办单位" not in html and "联系电话" not in html


def test_home_in_english_keeps_titles_and_region_names_chinese(english, city):
    html = page(english.get(reverse("catalogue:home")))
    assert "Guiding catalogue of services the government buys from social forces" in html
    assert "Catalogues by region" in html
    assert "Service area" in html
    assert "View the directory of qualified service providers" in html
    assert "2 items" in html and "Revision 1" in html and "Published" in html
    # Data: the official title, the region and the areas stay as published.
    assert city["edition"].title in html
    assert "咸宁市2016年政府向社会力量购买服务指导性目录" in html
    assert "社会保障" in html
    assert "各地目录" not in html and "第1版" not in html


def test_edition_page_in_english_has_english_headings_and_chinese_rows(english, city):
    html = page(english.get(city["edition"].get_absolute_url()))
    for column in ("No.", "Code", "Level 1", "Level 2", "Level 3", "Item name", "Service description"):
        assert f">{column}</th>" in html
    for label in ("Purchasing body", "Requirements for service providers", "Procurement method", "Remarks"):
        assert label in html
    assert "Document number" in html and "Publication date" in html
    assert "Apply filters" in html and "All items (CSV)" in html
    assert "Competitive consultation" in html  # a choice label
    # The rows are the published catalogue, in Chinese.
    assert "社区居家养老服务" in html and "农村电影放映" in html and "市民政局" in html
    assert "依法登记的养老服务类社会组织。" in html
    assert ">事项名称</th>" not in html and "应用筛选" not in html and "竞争性磋商" not in html


def test_one_item_is_singular_and_two_are_plural(english, city):
    one = f.edition(region_slug="xianan", year=2016)
    f.item(one, "C0201", "咸安区社区居家养老服务")
    assert "1 item in all" in page(english.get(one.get_absolute_url()))
    assert "2 items in all" in page(english.get(city["edition"].get_absolute_url()))


def test_item_page_in_english(english, city):
    html = page(english.get(city["item"].get_absolute_url()))
    assert "Service category" in html and "Performance evaluation standard" in html
    assert "Pilot item" in html and ">Yes<" in html
    assert "120,000.00 yuan" in html
    assert "Service providers qualified for this kind of service" in html
    assert "Evaluation grade 4A" in html
    assert "社区居家养老服务" in html and "咸宁市阳光社会工作服务中心" in html
    assert "可承接本类服务的承接主体" not in html


def test_search_page_in_english_keeps_results_chinese(english, city):
    html = page(english.get(reverse("catalogue:search"), {"q": "养老"}))
    assert "Search catalogue items" in html
    assert "Search terms" in html and "All regions" in html and "All areas" in html
    assert '1 item found for “<span lang="zh-Hans">养老</span>”' in html
    assert "2016 catalogue, revision 1" in html
    assert "社区居家<mark>养老</mark>服务" in html or "社区居家养老服务" in html
    assert "检索目录事项" not in html and "检索词" not in html


def test_search_notices_are_translated(english, city):
    html = page(english.get(reverse("catalogue:search"), {"q": "养老", "region": "nowhere"}))
    assert "No such region; all regions were searched." in html
    assert "没有这个地区" not in html


def test_empty_search_prompt_in_english(english):
    html = page(english.get(reverse("catalogue:search")))
    assert "Enter a search term." in html
    assert "请输入检索词。" not in html


def test_statistics_in_english(english, city):
    html = page(english.get(reverse("catalogue:statistics")))
    assert "Guiding catalogue statistics" in html
    for label in ("Items in force", "Of which pilot items", "Total of known budgets", "Items by service area"):
        assert label in html
    assert "Service areas covered by each region" in html
    assert "12.00 × 10,000 yuan" in html
    assert "咸宁市" in html and "社会保障" in html  # regions and areas are data
    assert "指导性目录统计" not in html and "现行事项" not in html


def test_provider_pages_in_english(english, city):
    html = page(english.get(reverse("catalogue:provider", args=[city["provider"].pk])))
    assert "Unified social credit code" in html and "Registration authority" in html
    assert "Qualification status" in html and "Qualified until" in html
    assert "Private non-enterprise unit (social service organisation)" in html
    assert "Eligible service categories" in html
    assert "Items in these categories in the catalogues in force" in html
    assert "咸宁市阳光社会工作服务中心" in html and "咸宁市民政局" in html
    assert "统一社会信用代码" not in html

    listing = page(english.get(reverse("catalogue:providers")))
    assert "1 service provider" in listing and "Qualified service providers" in listing
    assert "承接主体名录" not in listing


def test_compare_page_in_english(english, city):
    f.edition(year=2017, document_number="咸财综发〔2017〕3号")
    html = page(english.get(reverse("catalogue:compare", args=[city["edition"].pk])))
    assert "Compare revisions" in html
    assert "2017, revision 1 (Published)" in html  # the select's choices
    assert "年 第" not in html


def test_a_bad_page_number_is_reported_in_english(english, city):
    html = page(english.get(city["edition"].get_absolute_url(), {"page": "abc"}))
    assert "The page number “abc” is not valid; page 1 is shown." in html


# --- the admin in English -------------------------------------------------------------------------


@pytest.fixture
def superuser_en(client):
    user = get_user_model().objects.create_superuser("admin-en", "admin@xianning.example", "xianning-test-2015")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_admin_index_in_english(superuser_en):
    html = page(superuser_en.get(reverse("admin:index")))
    assert "Xianning guiding catalogue of government-purchased services: administration" in html
    assert "Administration home" in html
    assert "Guiding catalogue of government-purchased services" in html  # the app label
    for model in ("Guiding catalogue", "Catalogue item", "Service provider", "Purchasing body", "Region"):
        assert model in html
    assert "Log out" in html  # Django's own English
    assert "管理首页" not in html and "目录事项" not in html


def test_admin_changelist_in_english_keeps_titles_chinese(superuser_en, city):
    html = page(superuser_en.get(reverse("admin:catalogue_catalogue_changelist")))
    assert "Document number" in html and "Published" in html
    assert city["edition"].title in html

    items = page(superuser_en.get(reverse("admin:catalogue_catalogueitem_changelist")))
    assert "Catalogue status" in items and "Service area (level 1)" in items
    assert "社区居家养老服务" in items


def test_admin_edition_form_in_english(superuser_en, city):
    html = page(superuser_en.get(reverse("admin:catalogue_catalogue_change", args=[city["edition"].pk])))
    assert "Revision" in html and "Publication date" in html
    assert "修订版次" not in html


# --- data written while English is shown stays Chinese --------------------------------------------


def test_default_title_is_chinese_whatever_the_language(city):
    region = f.region("chibi")
    with translation.override("en"):
        title = Catalogue.default_title(region, 2018)
    assert title == "赤壁市2018年政府向社会力量购买服务指导性目录"


def test_a_next_year_opened_from_the_english_admin_gets_the_chinese_title(city):
    from catalogue.services.editions import open_next_year

    with translation.override("en"):
        new = open_next_year(f.region("xianning"), 2017, by=f.municipal())
    new.refresh_from_db()
    assert new.title == "咸宁市2017年政府向社会力量购买服务指导性目录"


def test_an_english_template_imports_for_a_clerk_working_in_chinese():
    with translation.override("en"):
        header = imports.template_header()
    assert "Item name" in header and "Procurement method" in header
    buffer = io.StringIO()
    csv.writer(buffer).writerow(header)
    csv.writer(buffer).writerow(["", "", "", "", "社区居家养老服务", "为居家老人提供上门服务", "咸宁市民政局"])
    upload = SimpleUploadedFile("items.csv", buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")
    with translation.override("zh-hans"):
        table = imports.read_table(upload)
    assert {"type", "name", "purchasing_bodies", "procurement_method"} <= set(table.columns)
    assert table.ignored_headers == []


def test_english_procurement_method_names_are_distinct():
    with translation.override("en"):
        names = [str(label).lower() for label in ProcurementMethod.labels]
    assert len(set(names)) == len(names)
    assert "open tender" in names and "request for quotation" in names


# --- the translation files ------------------------------------------------------------------------


def _unquote(lines):
    return "".join(re.match(r'^(?:msg\w+(?:\[\d\])? )?"(.*)"$', line).group(1) for line in lines)


ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def _decode(text):
    return re.sub(r'\\(["\\nt])', lambda match: ESCAPES[match.group(1)], text)


def po_entries():
    """(flags, msgid, msgid_plural, [msgstr …]) for every entry of django.po, header included.

    A small reader for the subset of the PO format that makemessages writes (no polib needed).
    """
    entries = []
    for block in PO_FILE.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        if all(line.startswith("#~") or not line.strip() for line in lines):
            continue  # obsolete entries
        flags = {flag.strip() for line in lines if line.startswith("#,") for flag in line[2:].split(",")}
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            keyword = re.match(r"^(msgid_plural|msgid|msgstr\[\d\]|msgstr|msgctxt) ", line)
            if keyword:
                current = keyword.group(1)
                fields[current] = [line]
            else:
                fields[current].append(line)
        values = {key: _decode(_unquote(lines)) for key, lines in fields.items()}
        strs = [values[key] for key in sorted(values) if key.startswith("msgstr")]
        entries.append((flags, values["msgid"], values.get("msgid_plural"), strs))
    return entries


def test_po_file_has_every_entry_translated_and_none_fuzzy():
    entries = po_entries()
    header = [entry for entry in entries if entry[1] == ""]
    assert len(header) == 1 and "Language: en" in header[0][3][0]
    messages = [entry for entry in entries if entry[1] != ""]
    assert len(messages) > 500
    assert [msgid for flags, msgid, _plural, _strs in entries if "fuzzy" in flags] == []
    untranslated = [msgid for _flags, msgid, _plural, strs in messages if not all(s.strip() for s in strs)]
    assert untranslated == []
    plurals = [strs for _flags, _msgid, plural, strs in messages if plural]
    assert plurals and all(len(strs) == 2 for strs in plurals)


def test_po_translations_keep_every_placeholder():
    for _flags, msgid, _plural, strs in po_entries():
        for text in strs if msgid else []:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(msgid)), (msgid, text)


def test_po_translations_are_english():
    """Chinese may appear inside a translation (document numbers, examples of data), never instead of one."""
    for _flags, msgid, _plural, strs in po_entries():
        for text in strs if msgid else []:
            words = PLACEHOLDER.sub("", text)
            assert not CJK.search(words) or re.search(r"[A-Za-z]", words), (msgid, text)
            assert text != msgid or not CJK.search(msgid), (msgid, text)


def test_mo_file_says_what_the_po_file_says():
    with MO_FILE.open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    for _flags, msgid, plural, strs in po_entries():
        if not msgid:
            continue
        if plural:
            assert compiled.ngettext(msgid, plural, 1) == strs[0], msgid
            assert compiled.ngettext(msgid, plural, 2) == strs[1], msgid
        else:
            assert compiled.gettext(msgid) == strs[0], msgid
    with translation.override("en"):
        assert translation.gettext("检索事项") == "Search items"
