"""Importing items into a draft edition from XLSX or CSV: all rows or none, every bad cell named by row and column.

Files are built here with openpyxl and csv, in the official column order of
catalogue/exports.py, so the tests read like the spreadsheets clerks send.
"""

import csv
import io
import os
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from catalogue import imports
from catalogue.models import Catalogue, CatalogueItem, ServiceCategory
from catalogue.services.imports import import_items
from tests import factories as f

OFFICIAL = ["序号", "编码", "一级", "二级", "三级", "事项名称", "服务内容", "购买主体", "承接主体要求", "购买方式", "试点", "备注"]
HEADER = OFFICIAL + ["预算（元）"]
METHODS = ["公开招标", "竞争性磋商", "委托/承包", "询价"]


# --- building files ---------------------------------------------------------------------------


def leaves():
    return list(ServiceCategory.objects.leaves().select_related("parent__parent").order_by("code"))


def good_row(index, leaf, bodies="市民政局", code=""):
    """One row of the official table (plus 预算（元）) that imports cleanly."""
    path = leaf.ancestors()
    return [
        index + 1,
        code,
        path[0].name,
        path[1].name if len(path) > 2 else "",
        leaf.name,
        f"{leaf.name}（第{index + 1}项）",
        f"面向城乡居民提供{leaf.name}，按服务数量和质量付费。",
        bodies,
        "依法登记，具备相应专业人员和服务场所。",
        METHODS[index % len(METHODS)],
        "是" if index % 7 == 0 else "",
        "",
        10000 + index if index % 3 else "",
    ]


def good_rows(count):
    nodes = leaves()
    return [good_row(index, nodes[index % len(nodes)]) for index in range(count)]


def xlsx_file(rows, header=HEADER, name="目录事项.xlsx", above=()):
    workbook = Workbook()
    sheet = workbook.active
    for line in above:
        sheet.append(line)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def csv_file(rows, header=HEADER, name="目录事项.csv", encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def check(upload, edition, user):
    return imports.validate(imports.read_table(upload), edition, user)


def messages_of(validation):
    return [str(error) for error in validation.errors]


# --- people and editions ------------------------------------------------------------------------


def may_add_items(user):
    """The model permission the admin's add view asks for (the roles' groups grant it in production)."""
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_catalogueitem", "view_catalogueitem"]))
    return user


@pytest.fixture
def bodies():
    return [
        f.purchasing_body("咸宁市民政局", short_name="市民政局"),
        f.purchasing_body("咸宁市人力资源和社会保障局", short_name="市人社局"),
    ]


@pytest.fixture
def county_body():
    return f.purchasing_body("咸安区民政局", region_slug="xianan", short_name="区民政局")


@pytest.fixture
def draft(bodies):
    return f.edition(year=2017, status=Catalogue.Status.DRAFT)


@pytest.fixture
def finance():
    return may_add_items(f.municipal())


@pytest.fixture
def finance_client(client, finance):
    client.force_login(finance)
    return client


def upload_url(edition):
    return reverse("admin:catalogue_import:upload", args=[edition.pk])


def confirm_url(edition):
    return reverse("admin:catalogue_import:confirm", args=[edition.pk])


# --- the 1,000-row file -------------------------------------------------------------------------


def test_a_thousand_good_rows_import_in_a_fixed_number_of_queries(draft, finance, django_assert_max_num_queries):
    upload = xlsx_file(good_rows(1000))
    with django_assert_max_num_queries(8):
        validation = check(upload, draft, finance)
    assert validation.errors == []
    # Bulk inserts: 5 statements on PostgreSQL; SQLite caps a statement at 999 parameters,
    # so there the items and their history go in batches of about 70 rows (~45 statements).
    with django_assert_max_num_queries(50):
        created = import_items(draft, validation.rows, by=finance).created

    assert len(created) == 1000
    assert draft.items.count() == 1000
    assert CatalogueItem.purchasing_bodies.through.objects.filter(catalogueitem__edition=draft).count() == 1000
    assert CatalogueItem.history.filter(edition_id=draft.pk, history_type="+").count() == 1000
    first = draft.items.get(code="A0101-01")
    assert first.name == "公共教育资讯收集与统计分析（第1项）"
    assert first.is_pilot and first.budget is None
    assert [body.name for body in first.purchasing_bodies.all()] == ["咸宁市民政局"]
    assert first.search_document  # built as save() would, so the item is searchable once published
    assert draft.items.filter(budget=Decimal("10001.00")).exists()


def test_one_bad_row_among_a_thousand_is_refused_and_nothing_is_written(draft, finance_client):
    rows = good_rows(1000)
    rows[537][4] = "城市绿化养护"  # not a category; the row sits on line 539 (header is line 1)
    response = finance_client.post(upload_url(draft), {"file": xlsx_file(rows)})

    assert response.status_code == 200
    errors = [str(error) for error in response.context["validation"].errors]
    assert errors == ["第539行“三级”列：找不到名为“城市绿化养护”的三级服务类别，请填写服务类别表中的三级类别名称或编码。"]
    assert "第539行“三级”列" in response.getvalue().decode()
    assert response.context["token"] == ""
    assert "catalogue_import" not in finance_client.session
    assert draft.items.count() == 0


def test_the_admin_upload_preview_and_confirm_write_every_row_once(draft, finance_client):
    response = finance_client.post(upload_url(draft), {"file": xlsx_file(good_rows(120))})
    assert response.status_code == 200
    assert response.context["row_count"] == 120
    assert len(response.context["shown"]) == 50  # the first 50 rows, and how many more there are
    assert response.context["hidden_count"] == 70
    token = response.context["token"]
    assert token and draft.items.count() == 0  # the preview writes nothing

    response = finance_client.post(confirm_url(draft), {"token": token})
    assert response.status_code == 302
    assert draft.items.count() == 120

    again = finance_client.post(confirm_url(draft), {"token": token}, follow=True)
    assert "这次导入已失效" in again.getvalue().decode()
    assert draft.items.count() == 120


def test_confirm_rechecks_codes_taken_since_the_preview_and_writes_nothing(draft, finance_client):
    rows = good_rows(30)
    rows[12][1] = "C0201-09"
    response = finance_client.post(upload_url(draft), {"file": xlsx_file(rows)})
    token = response.context["token"]
    f.item(draft, "C0201", "社区居家养老服务", code="C0201-09")  # a colleague adds it meanwhile

    response = finance_client.post(confirm_url(draft), {"token": token})

    assert response.status_code == 200
    assert [str(error) for error in response.context["validation"].errors] == [
        "第14行“编码”列：编码“C0201-09”在本目录中已被使用。如要用文件修改已有事项，请选择“按编码更新”。"
    ]
    assert draft.items.count() == 1


# --- the file itself ----------------------------------------------------------------------------


def test_missing_columns_are_listed_in_one_message_before_any_row(draft):
    header = [column for column in HEADER if column not in {"三级", "购买主体"}]
    rows = [[cell for column, cell in zip(HEADER, row) if column in header] for row in good_rows(5)]
    with pytest.raises(imports.SpreadsheetRefused) as refused:
        imports.read_table(xlsx_file(rows, header=header))
    assert refused.value.message.startswith("表头缺少必需的列：三级、购买主体。")
    assert refused.value.rows_read == 0


def test_a_title_row_above_the_header_is_skipped_and_unknown_columns_are_reported(draft, finance):
    rows = [row + ["张三"] for row in good_rows(3)]
    upload = xlsx_file(rows, header=HEADER + ["填表人"], above=[["咸宁市2017年政府向社会力量购买服务指导性目录"], []])
    table = imports.read_table(upload)
    assert [number for number, _values in table.rows] == [4, 5, 6]
    assert table.ignored_headers == ["填表人"]
    assert check(upload, draft, finance).errors == []


@override_settings(IMPORT_MAX_ROWS=10)
@pytest.mark.parametrize("make_file", [xlsx_file, csv_file], ids=["xlsx", "csv"])
def test_more_rows_than_the_limit_are_refused_without_reading_the_rest(make_file, draft):
    with pytest.raises(imports.SpreadsheetRefused) as refused:
        imports.read_table(make_file(good_rows(500)))
    assert "导入上限" in refused.value.message and "10" in refused.value.message
    assert refused.value.rows_read == 11  # stopped one row past the limit, not at row 500


@override_settings(IMPORT_MAX_ROWS=10)
def test_a_sheet_of_blank_rows_cannot_keep_the_reader_busy(draft):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(good_rows(1)[0])
    sheet.cell(row=1_000_000, column=1, value="末行")  # openpyxl yields every empty row in between
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(imports.SpreadsheetRefused) as refused:
        imports.read_table(SimpleUploadedFile("big.xlsx", buffer.getvalue()))
    assert refused.value.rows_read == 10 + imports.BLANK_ROW_ALLOWANCE + 1


@override_settings(IMPORT_MAX_ROWS=10)
def test_the_admin_says_the_row_limit_in_chinese(draft, finance_client):
    response = finance_client.post(upload_url(draft), {"file": csv_file(good_rows(50))})
    assert response.status_code == 200
    assert "文件中的事项超过了导入上限（每次最多 10 行" in response.getvalue().decode()
    assert draft.items.count() == 0


@override_settings(IMPORT_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused_from_its_size(draft):
    upload = xlsx_file(good_rows(50))
    assert upload.size > 1024
    with pytest.raises(imports.SpreadsheetRefused) as refused:
        imports.read_table(upload)
    assert refused.value.message.startswith("文件过大")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "不是工作簿")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("图片.xlsx", PNG, "该文件不是有效的 Excel（.xlsx）文件"),
        ("图片.csv", PNG, "该文件不是文本格式的 CSV 文件"),
        ("random.csv", os.urandom(4096).replace(b"\x00", b"") + b"\x00\x01\x02", "该文件不是文本格式的 CSV 文件"),
        ("empty.xlsx", b"", "上传的文件是空的。"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "这是旧版 Excel（.xls）"),
        ("archive.xlsx", _zip_without_workbook(), "该文件不是有效的 Excel（.xlsx）文件"),
        ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "只能导入 Excel（.xlsx）或 CSV 文件。"),
    ],
    ids=["png-as-xlsx", "png-as-csv", "random-binary", "empty", "old-xls", "zip-not-workbook", "pdf"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_in_chinese(name, content, message):
    with pytest.raises(imports.SpreadsheetRefused) as refused:
        imports.read_table(SimpleUploadedFile(name, content))
    assert message in refused.value.message


def test_the_admin_refuses_a_renamed_picture_with_a_normal_page(draft, finance_client):
    response = finance_client.post(upload_url(draft), {"file": SimpleUploadedFile("目录.xlsx", PNG)})
    assert response.status_code == 200
    assert "未导入“目录.xlsx”：该文件不是有效的 Excel（.xlsx）文件" in response.getvalue().decode()
    assert draft.items.count() == 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_with_bom_and_in_gb18030_imports(encoding, draft, finance):
    rows = good_rows(20)
    rows[0][6] = "为居家老年人提供助餐、助浴等上门服务，覆盖咸安区、嘉鱼县。"
    table = imports.read_table(csv_file(rows, encoding=encoding))
    assert table.encoding == ("gb18030" if encoding == "gb18030" else "utf-8-sig")
    validation = imports.validate(table, draft, finance)
    assert validation.errors == []
    import_items(draft, validation.rows, by=finance)
    assert draft.items.count() == 20
    assert draft.items.filter(content__contains="覆盖咸安区、嘉鱼县").count() == 1


# --- bad cells ---------------------------------------------------------------------------------


def test_wrong_types_are_named_by_row_and_column(draft, finance):
    rows = good_rows(6)
    rows[1][12] = "十万"
    rows[2][12] = -5
    rows[3][10] = "可能"
    rows[4][9] = "公开竞价"
    rows[5][12] = "12.345"
    assert messages_of(check(xlsx_file(rows), draft, finance)) == [
        "第3行“预算（元）”列：“十万”不是金额，预算应填写阿拉伯数字（元），例如 120000 或 120000.00。",
        "第4行“预算（元）”列：预算金额不能为负数。",
        "第5行“试点”列：“可能”不是有效的试点标记，请填写 是、否、Y、N、√ 或留空。",
        "第6行“购买方式”列：“公开竞价”不是有效的购买方式，应为：公开招标、邀请招标、竞争性谈判、竞争性磋商、单一来源、询价、委托/承包。",
        "第7行“预算（元）”列：预算金额最多保留两位小数（分）。",
    ]


def test_budgets_pilot_marks_and_methods_in_their_usual_spellings_are_read(draft, finance):
    rows = good_rows(5)
    for row, (budget, pilot, method) in zip(
        rows,
        [
            ("120,000.00", "Y", "竞争性磋商"),
            ("8000元", "√", "委托"),
            (5000, "N", "单一来源"),
            ("", "否", "询价"),
            ("0", "", "COMMISSION"),
        ],
    ):
        row[12], row[10], row[9] = budget, pilot, method
    validation = check(csv_file(rows), draft, finance)
    assert validation.errors == []
    assert [(row.budget, row.is_pilot, row.procurement_method) for row in validation.rows] == [
        (Decimal("120000.00"), True, "COMPETITIVE_CONSULTATION"),
        (Decimal("8000.00"), True, "COMMISSION"),
        (Decimal("5000.00"), False, "SINGLE_SOURCE"),
        (None, False, "REQUEST_FOR_QUOTATION"),
        (Decimal("0.00"), False, "COMMISSION"),
    ]


def test_unknown_or_non_leaf_categories_and_inconsistent_areas_are_errors(draft, finance):
    rows = good_rows(4)
    rows[0][4] = "城市绿化养护"
    rows[1][2:5] = ["", "", "养老服务"]  # a 二级 category: items sit only under 三级
    rows[2][2:5] = ["", "", "C0201"]  # a code is as good as a name
    leaf = leaves()[3]
    rows[3][2] = "就业"  # 一级 does not match the 三级 below it
    assert leaf.ancestors()[0].name != "就业"
    assert messages_of(check(xlsx_file(rows), draft, finance)) == [
        "第2行“三级”列：找不到名为“城市绿化养护”的三级服务类别，请填写服务类别表中的三级类别名称或编码。",
        "第3行“三级”列：“养老服务”是二级类别，事项只能归入三级（末级）类别。",
        f"第5行“一级”列：“就业”与三级类别“{leaf.name}”所属的一级类别“{leaf.ancestors()[0].name}”不一致。",
    ]


def test_unknown_bodies_and_bodies_of_another_region_are_errors(draft, finance, county_body):
    rows = good_rows(4)
    rows[0][7] = "咸宁市园林局"
    rows[1][7] = "咸安区民政局"  # exists, but in another region than the city's edition
    rows[2][7] = "市民政局、市人社局"
    rows[3][7] = ""
    validation = check(xlsx_file(rows), draft, finance)
    assert messages_of(validation) == [
        "第2行“购买主体”列：在咸宁市找不到购买主体“咸宁市园林局”；多个购买主体请用“、”分隔。",
        "第3行“购买主体”列：在咸宁市找不到购买主体“咸安区民政局”；多个购买主体请用“、”分隔。",
        "第5行“购买主体”列：此列必须填写。",
    ]
    assert validation.rows[2].body_labels == ["市民政局", "市人社局"]


def test_duplicate_codes_in_the_file_or_the_edition_are_errors_on_each_row(draft, finance):
    f.item(draft, "C0201", "社区居家养老服务", code="C0201-01")
    rows = good_rows(5)
    rows[0][1] = rows[3][1] = "B0101-07"
    rows[2][1] = "C0201-01"
    assert messages_of(check(xlsx_file(rows), draft, finance)) == [
        "第2行“编码”列：编码“B0101-07”在文件中重复（另见第5行）。",
        "第4行“编码”列：编码“C0201-01”在本目录中已被使用。如要用文件修改已有事项，请选择“按编码更新”。",
        "第5行“编码”列：编码“B0101-07”在文件中重复（另见第2行）。",
    ]


def test_blank_codes_continue_the_editions_numbering(draft, finance):
    f.item(draft, "C0201", "社区居家养老服务", code="C0201-04")
    nodes = {leaf.code: leaf for leaf in leaves()}
    rows = [good_row(1, nodes["C0201"]), good_row(2, nodes["C0201"], code="C0201-05"), good_row(3, nodes["C0201"])]
    validation = check(xlsx_file(rows), draft, finance)
    assert [row.code for row in validation.rows] == ["C0201-06", "C0201-05", "C0201-07"]
    import_items(draft, validation.rows, by=finance)
    assert sorted(draft.items.values_list("code", flat=True)) == ["C0201-04", "C0201-05", "C0201-06", "C0201-07"]


def test_the_service_full_cleans_every_item_and_writes_none_on_failure(draft, finance):
    validation = check(xlsx_file(good_rows(10)), draft, finance)
    validation.rows[6].name = "名" * 201  # longer than the model allows
    with pytest.raises(imports.ImportRejected) as rejected:
        import_items(draft, validation.rows, by=finance)
    [error] = rejected.value.row_errors
    assert str(error).startswith("第8行“事项名称”列：") and "200" in error.message
    assert draft.items.count() == 0


# --- who may import where -----------------------------------------------------------------------


def test_a_published_edition_is_refused(bodies, finance, finance_client):
    published = f.edition(year=2016)
    response = finance_client.get(upload_url(published))
    assert "已已发布" not in response.getvalue().decode()
    assert "不能再导入事项" in response.getvalue().decode()
    assert response.context["form"] is None
    response = finance_client.post(upload_url(published), {"file": xlsx_file(good_rows(3))})
    assert "不能再导入事项" in response.getvalue().decode()
    rows = check(xlsx_file(good_rows(3)), published, finance).rows
    with pytest.raises(ValidationError, match="不能再导入事项"):
        import_items(published, rows, by=finance)
    assert published.items.count() == 0


def test_a_county_office_imports_into_its_own_draft_only(client, draft, county_body):
    own = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    clerk = may_add_items(f.county())
    client.force_login(clerk)
    rows = good_rows(3)
    for row in rows:
        row[7], row[10] = "区民政局", ""

    assert client.get(upload_url(draft)).status_code == 404
    assert client.post(upload_url(draft), {"file": xlsx_file(rows)}).status_code == 404
    assert client.post(confirm_url(draft), {"token": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        import_items(draft, check(xlsx_file(rows), own, clerk).rows, by=clerk)

    token = client.post(upload_url(own), {"file": xlsx_file(rows)}).context["token"]
    assert client.post(confirm_url(own), {"token": token}).status_code == 302
    assert own.items.count() == 3 and draft.items.count() == 0


def test_another_countys_office_gets_404_and_a_stranger_nothing(client, county_body):
    xianan = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    client.force_login(may_add_items(f.county("chibi", "chibi")))
    assert client.get(upload_url(xianan)).status_code == 404
    client.force_login(may_add_items(f.staff_user("visitor", role="")))  # staff without a role: sees nothing
    assert client.get(upload_url(xianan)).status_code == 404
    client.logout()
    assert client.get(upload_url(xianan)).status_code == 302  # to the admin login


def test_a_county_office_without_the_right_to_add_items_gets_403(client, county_body):
    xianan = f.edition("xianan", year=2017, status=Catalogue.Status.DRAFT)
    client.force_login(f.county())
    assert client.get(upload_url(xianan)).status_code == 403


def test_only_municipal_finance_may_import_pilot_items(draft, bodies):
    clerk = may_add_items(f.department(body=bodies[0]))
    rows = good_rows(3)  # the first row is marked 试点
    assert messages_of(check(xlsx_file(rows), draft, clerk)) == [
        "第2行“试点”列：试点事项由县级财政部门报送、市财政局审核通过后产生，导入时不能标为试点；请将此列留空或填“否”。"
    ]


def test_department_staff_import_only_items_their_body_buys(draft, bodies):
    clerk = may_add_items(f.department(body=bodies[0]))
    rows = good_rows(3)
    rows[0][10] = ""
    rows[1][7] = "市人社局"
    validation = check(xlsx_file(rows), draft, clerk)
    assert messages_of(validation) == ["第3行“购买主体”列：您无权为购买主体“市人社局”导入事项。"]

    rows[1][7] = "市民政局"
    validation = check(xlsx_file(rows), draft, clerk)
    assert validation.errors == []
    import_items(draft, validation.rows, by=clerk)
    assert draft.items.count() == 3


# --- the round trip -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_edition_imports_back_into_a_draft_with_the_same_rows(fmt, client, bodies, finance):
    published = f.edition(year=2016)
    f.item(published, "C0201", "社区居家养老服务", bodies=bodies, is_pilot=True, notes="先行试点",
           provider_requirements="依法登记的养老服务机构。")
    f.item(published, "C0202", "农村特困供养机构托管", bodies=[bodies[0]], procurement_method="COMPETITIVE_CONSULTATION")
    f.item(published, "B0201", "政府组织的就业培训和创业培训", bodies=[bodies[1]], content="-职业技能培训=")
    f.item(published, "H0101", "会议服务", bodies=[bodies[1]], code="H0101-12", procurement_method="COMMISSION")
    response = client.get(reverse("catalogue:edition_export", args=[published.pk, fmt]))
    assert response.status_code == 200
    draft = f.edition(year=2017, status=Catalogue.Status.DRAFT)

    validation = check(SimpleUploadedFile(f"export.{fmt}", response.getvalue()), draft, finance)
    assert validation.errors == []
    import_items(draft, validation.rows, by=finance)

    def table(edition):
        return [
            (item.code, item.category.code, item.name, item.content, item.provider_requirements,
             item.procurement_method, item.is_pilot, item.notes,
             sorted(body.name for body in item.purchasing_bodies.all()))
            for item in edition.items.with_table_columns().order_by("code")
        ]

    assert table(draft) == table(published)


def test_a_draft_editions_admin_page_links_to_the_import_and_a_published_one_does_not(bodies, client):
    client.force_login(f.staff_user("admin"))  # a superuser: the roles' groups are not this file's concern
    draft = f.edition(year=2017, status=Catalogue.Status.DRAFT)
    published = f.edition(year=2016)
    page = client.get(reverse("admin:catalogue_catalogue_change", args=[draft.pk]))
    assert f'href="{upload_url(draft)}"' in page.getvalue().decode()
    page = client.get(reverse("admin:catalogue_catalogue_change", args=[published.pk]))
    assert page.status_code == 200
    assert upload_url(published) not in page.getvalue().decode()


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=0)
@pytest.mark.parametrize("make_file", [xlsx_file, csv_file], ids=["xlsx", "csv"])
def test_an_upload_django_spools_to_a_temporary_file_reads_the_same(make_file, draft, finance_client):
    response = finance_client.post(upload_url(draft), {"file": make_file(good_rows(12))})
    assert response.context["validation"].errors == []
    assert response.context["row_count"] == 12


def test_the_blank_template_has_the_import_header(finance_client):
    from openpyxl import load_workbook

    response = finance_client.get(reverse("admin:catalogue_import:template"))
    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    assert list(next(sheet.iter_rows(values_only=True))) == HEADER + ["绩效评价标准"]


def test_chinese_headers_and_methods_are_read_while_the_admin_speaks_english(draft, finance):
    from django.utils import translation

    with translation.override("en"):
        validation = check(xlsx_file(good_rows(8)), draft, finance)
    assert validation.errors == []
    assert {row.procurement_method for row in validation.rows} == {
        "OPEN_TENDER", "COMPETITIVE_CONSULTATION", "COMMISSION", "REQUEST_FOR_QUOTATION"
    }
