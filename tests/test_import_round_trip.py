"""Issue 12 (2): the system's own exports import back, and "update by 编码" changes exactly what was edited.

A county office's year: its 2016 catalogue is published, next year's draft opens as a copy of it,
the clerk downloads the 2016 table, edits a few cells and imports it into the draft "by 编码". The
preview lists new, changed (field by field) and unchanged rows before anything is written; pilot
items stay pilot items; columns the file lacks are named and keep their values.
"""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from catalogue import imports
from catalogue.models import Catalogue, CatalogueItem, ProcurementMethod
from catalogue.services import open_next_year
from catalogue.services.imports import import_items
from tests import factories as f


def may_add_items(user):
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_catalogueitem", "view_catalogueitem", "change_catalogueitem"])
    )
    return user


@pytest.fixture
def bodies():
    return [
        f.purchasing_body("咸安区民政局", region_slug="xianan", short_name="区民政局"),
        f.purchasing_body("咸安区人力资源和社会保障局", region_slug="xianan", short_name="区人社局"),
    ]


@pytest.fixture
def clerk():
    return may_add_items(f.county())


@pytest.fixture
def last_year(bodies):
    """Xianan's published 2016 catalogue: a pilot item, budgets and performance standards."""
    edition = f.edition("xianan", year=2016)
    f.item(edition, "C0201", "社区居家养老服务", bodies=bodies, is_pilot=True, budget=Decimal("150000"),
           performance_standard="服务对象满意度不低于90%。", notes="先行试点",
           provider_requirements="依法登记的养老服务类社会组织。")
    f.item(edition, "C0202", "农村特困供养机构托管", bodies=[bodies[0]],
           procurement_method=ProcurementMethod.COMPETITIVE_CONSULTATION, budget=Decimal("80000.50"))
    f.item(edition, "B0201", "政府组织的就业培训和创业培训", bodies=[bodies[1]], content="-职业技能培训=",
           performance_standard="培训合格率不低于85%。")
    f.item(edition, "H0101", "会议服务", bodies=[bodies[1]], code="H0101-12",
           procurement_method=ProcurementMethod.COMMISSION)
    return edition


@pytest.fixture
def this_year(last_year):
    return open_next_year(last_year.region, 2017, by=f.municipal())


def exported(client, edition, fmt="xlsx"):
    response = client.get(reverse("catalogue:edition_export", args=[edition.pk, fmt]))
    assert response.status_code == 200
    return response.getvalue()


def edit_xlsx(content, edits):
    """The exported workbook with cells changed: {(编码, column header): new value}."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    header_row = next(row for row in range(1, 10) if sheet.cell(row=row, column=1).value == "序号")
    header = [cell.value for cell in sheet[header_row]]
    for row in sheet.iter_rows(min_row=header_row + 1):
        code = row[header.index("编码")].value
        for (edit_code, column), value in edits.items():
            if code == edit_code:
                row[header.index(column)].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, edition, content, mode="update", name="咸安区2016年目录.xlsx"):
    return client.post(
        reverse("admin:catalogue_import:upload", args=[edition.pk]),
        {"file": SimpleUploadedFile(name, content), "mode": mode},
    )


def snapshot(edition):
    return {
        item.code: (item.category.code, item.name, item.content, item.provider_requirements, item.procurement_method,
                    item.performance_standard, item.budget, item.is_pilot, item.notes,
                    sorted(body.name for body in item.purchasing_bodies.all()))
        for item in edition.items.with_table_columns()
    }


def test_an_exported_edition_with_two_cells_edited_imports_back_as_exactly_those_two_changes(
    client, last_year, this_year, clerk
):
    content = edit_xlsx(
        exported(client, last_year),
        {("C0202-01", "服务内容"): "为农村特困人员供养机构提供托管运营服务。", ("C0201-01", "预算（元）"): 180000},
    )
    before = snapshot(this_year)
    client.force_login(clerk)

    preview = upload(client, this_year, content)

    assert preview.status_code == 200
    validation = preview.context["validation"]
    assert validation.errors == []
    assert (validation.new_count, validation.changed_count, validation.unchanged_count) == (0, 2, 2)
    assert {row.code: row.changes for row in validation.changed_rows} == {
        "C0201-01": [{"column": "预算（元）", "old": "150,000.00", "new": "180,000.00"}],
        "C0202-01": [{"column": "服务内容", "old": "为居家老年人提供生活照料、助餐助浴、精神慰藉等上门服务。",
                      "new": "为农村特困人员供养机构提供托管运营服务。"}],
    }
    html = preview.getvalue().decode()
    assert "为农村特困人员供养机构提供托管运营服务。" in html and "150,000.00" in html and "180,000.00" in html
    assert snapshot(this_year) == before  # the preview writes nothing

    assert client.post(reverse("admin:catalogue_import:confirm", args=[this_year.pk]), {"token": preview.context["token"]}).status_code == 302

    after = snapshot(this_year)
    changed = {code for code in before if before[code] != after[code]}
    assert changed == {"C0201-01", "C0202-01"}
    assert after["C0201-01"][6] == Decimal("180000.00") and after["C0201-01"][7] is True  # still a pilot item
    assert after["C0202-01"][2] == "为农村特困人员供养机构提供托管运营服务。"
    assert after["B0201-01"][5] == "培训合格率不低于85%。"  # the performance standard went out and came back
    record = CatalogueItem.objects.get(edition=this_year, code="C0201-01").history.first()
    assert record.history_user == clerk and "预算（元）" in record.history_change_reason


def test_last_years_pilot_items_import_for_a_county_office_and_stay_pilot_items(client, last_year, this_year, clerk):
    """The rows of last year's pilot items were refused with 导入时不能标为试点."""
    validation = imports.validate(
        imports.read_table(SimpleUploadedFile("x.xlsx", exported(client, last_year))), this_year, clerk,
        mode=imports.Mode.UPDATE,
    )
    assert validation.errors == []
    assert validation.unchanged_count == 4
    assert next(row for row in validation.rows if row.code == "C0201-01").is_pilot


def test_a_county_office_cannot_turn_an_item_into_a_pilot_item_by_import(client, last_year, this_year, clerk):
    content = edit_xlsx(exported(client, last_year), {("C0202-01", "试点"): "是", ("C0201-01", "试点"): ""})
    validation = imports.validate(imports.read_table(SimpleUploadedFile("x.xlsx", content)), this_year, clerk,
                                  mode=imports.Mode.UPDATE)
    assert validation.errors == []
    assert validation.changed_count == 0  # both flags kept, and the preview says so
    assert len([remark for row in validation.rows for remark in row.remarks]) == 2
    # A new row marked 试点 is still refused: pilot items come from the review.
    content = edit_xlsx(exported(client, last_year), {("H0101-12", "编码"): "H0101-13", ("H0101-12", "试点"): "是"})
    validation = imports.validate(imports.read_table(SimpleUploadedFile("x.xlsx", content)), this_year, clerk,
                                  mode=imports.Mode.UPDATE)
    assert [error.column for error in validation.errors] == ["试点"]


def test_reimporting_in_add_mode_names_the_update_mode_instead_of_failing_on_every_row(client, last_year, this_year, clerk):
    validation = imports.validate(imports.read_table(SimpleUploadedFile("x.xlsx", exported(client, last_year))),
                                  this_year, clerk)
    code_errors = [error for error in validation.errors if error.column == "编码"]
    assert len(code_errors) == 4
    assert all("按编码更新" in str(error) for error in code_errors)


def test_new_rows_are_added_and_listed_as_new(client, last_year, this_year, clerk):
    content = edit_xlsx(exported(client, last_year), {("H0101-12", "编码"): "", ("H0101-12", "事项名称"): "公务用车租赁服务"})
    client.force_login(clerk)
    preview = upload(client, this_year, content)
    validation = preview.context["validation"]
    assert (validation.new_count, validation.changed_count, validation.unchanged_count) == (1, 0, 3)
    assert "新增" in preview.getvalue().decode()
    client.post(reverse("admin:catalogue_import:confirm", args=[this_year.pk]), {"token": preview.context["token"]})
    assert this_year.items.filter(name="公务用车租赁服务", code="H0101-13").exists()
    assert this_year.items.count() == 5


def test_a_file_without_budget_and_standard_keeps_them_and_says_so(client, last_year, this_year, clerk):
    """An older export lacked 预算 and 绩效评价标准: updating from it must not erase them."""
    workbook = load_workbook(io.BytesIO(exported(client, last_year)))
    sheet = workbook.active
    sheet.delete_cols(13, 2)
    sheet["F6"] = "社区居家养老上门服务"  # C0201-01's 事项名称
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(clerk)
    preview = upload(client, this_year, buffer.getvalue())
    validation = preview.context["validation"]
    assert validation.missing_columns == ["预算（元）", "绩效评价标准"]
    assert "文件中没有这些列：" in preview.getvalue().decode()
    assert "预算（元）、绩效评价标准" in preview.getvalue().decode()
    assert [row.changes for row in validation.changed_rows] == [
        [{"column": "事项名称", "old": "社区居家养老服务", "new": "社区居家养老上门服务"}]
    ]
    client.post(reverse("admin:catalogue_import:confirm", args=[this_year.pk]), {"token": preview.context["token"]})
    item = this_year.items.get(code="C0201-01")
    assert item.name == "社区居家养老上门服务"
    assert item.budget == Decimal("150000.00") and item.performance_standard == "服务对象满意度不低于90%。"


def test_an_item_edited_after_the_preview_is_not_overwritten(client, last_year, this_year, clerk):
    content = edit_xlsx(exported(client, last_year), {("C0202-01", "备注"): "按季度结算"})
    client.force_login(clerk)
    preview = upload(client, this_year, content)
    item = this_year.items.get(code="C0201-01")
    item.notes = "同事刚改的备注"
    item.save()

    response = client.post(reverse("admin:catalogue_import:confirm", args=[this_year.pk]), {"token": preview.context["token"]},
                           follow=True)

    assert "与预览不符" in response.getvalue().decode()
    assert this_year.items.get(code="C0202-01").notes == ""
    assert this_year.items.get(code="C0201-01").notes == "同事刚改的备注"


def test_the_service_refuses_an_update_that_no_longer_matches_the_preview(client, last_year, this_year, clerk):
    content = edit_xlsx(exported(client, last_year), {("C0202-01", "备注"): "按季度结算"})
    validation = imports.validate(imports.read_table(SimpleUploadedFile("x.xlsx", content)), this_year, clerk,
                                  mode=imports.Mode.UPDATE)
    CatalogueItem.objects.filter(edition=this_year, code="C0202-01").update(notes="另一个备注")
    with pytest.raises(ValidationError, match="与预览不符"):
        import_items(this_year, validation.rows, by=clerk, mode=imports.Mode.UPDATE, columns=validation.columns)


def test_department_staff_update_only_the_items_their_body_buys(client, last_year, this_year, bodies):
    staff = may_add_items(f.department(body=bodies[1]))
    content = edit_xlsx(exported(client, last_year), {("H0101-12", "备注"): "按次结算", ("C0202-01", "备注"): "x"})
    validation = imports.validate(imports.read_table(SimpleUploadedFile("x.xlsx", content)), this_year, staff,
                                  mode=imports.Mode.UPDATE)
    assert "第7行“编码”列：编码“C0202-01”是您无权修改的事项。" in [str(error) for error in validation.errors]
    assert not any(error.row == 8 for error in validation.errors)  # H0101-12 is its own


def test_the_admin_export_of_selected_items_imports_back_by_code(client, last_year, this_year, clerk):
    client.force_login(f.staff_user("admin"))
    response = client.post(
        reverse("admin:catalogue_catalogueitem_changelist"),
        {"action": "export_selected_xlsx", "_selected_action": list(this_year.items.values_list("pk", flat=True))},
    )
    content = edit_xlsx(response.getvalue(), {("B0201-01", "绩效评价标准"): "培训合格率不低于90%。"})
    validation = imports.validate(imports.read_table(SimpleUploadedFile("x.xlsx", content)), this_year, clerk,
                                  mode=imports.Mode.UPDATE)
    assert validation.errors == []
    assert validation.ignored_headers == ["所属目录"]
    assert [row.changes for row in validation.changed_rows] == [
        [{"column": "绩效评价标准", "old": "培训合格率不低于85%。", "new": "培训合格率不低于90%。"}]
    ]


# --- the template ---------------------------------------------------------------------------------


def test_the_template_has_an_example_row_drop_downs_and_instructions(client, this_year, clerk, bodies):
    client.force_login(clerk)
    response = client.get(reverse("admin:catalogue_import:edition_template", args=[this_year.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:12] == ["序号", "编码", "一级", "二级", "三级", "事项名称", "服务内容", "购买主体", "承接主体要求", "购买方式",
                           "试点", "备注"]
    example = dict(zip(header, [cell.value for cell in sheet[2]]))
    assert example["序号"] == "示例" and example["三级"] == "社区居家养老服务" and example["一级"] == "社会保障"
    assert example["购买方式"] == "公开招标" and example["购买主体"] in {body.name for body in bodies}

    lists = {}
    for validation in sheet.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        sheet_name, cells = validation.formula1.split("!")
        options = workbook[sheet_name.strip("'")][cells.replace("$", "")]
        lists[header[ord(column) - ord("A")]] = [row[0].value for row in options]
    assert set(lists) == {"一级", "二级", "三级", "购买主体", "购买方式", "试点"}
    assert lists["一级"][:2] == ["教育", "就业"] and len(lists["一级"]) == 8
    assert "社区居家养老服务" in lists["三级"] and "养老服务" in lists["二级"]
    assert lists["购买主体"] == ["咸安区人力资源和社会保障局", "咸安区民政局"]  # the edition's region only
    assert lists["购买方式"][0] == "公开招标" and "委托/承包" in lists["购买方式"]

    notes = workbook["填写说明"]
    text = "\n".join(str(row[0].value or "") for row in notes.iter_rows())
    assert "按编码更新" in text and "示例" in text and "必填列" in text


def test_the_template_filled_in_below_its_example_imports_and_the_example_does_not(client, this_year, clerk):
    client.force_login(clerk)
    workbook = load_workbook(io.BytesIO(client.get(reverse("admin:catalogue_import:edition_template", args=[this_year.pk])).getvalue()))
    sheet = workbook.worksheets[0]
    sheet.append(["", "", "", "", "农村特困供养机构托管", "敬老院托管运营", "", "区民政局", "", "竞争性磋商", "", "", "96000", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(client, this_year, buffer.getvalue(), mode="add", name="模板.xlsx")
    validation = preview.context["validation"]
    assert validation.errors == [] and validation.example_rows == [2]
    assert [row.name for row in validation.rows] == ["敬老院托管运营"]
    assert "示例行" in preview.getvalue().decode()


def test_the_preview_shows_the_service_content_of_each_row(client, this_year, clerk):
    client.force_login(clerk)
    content = edit_xlsx(exported(client, Catalogue.objects.get(region__slug="xianan", year=2016)),
                        {("H0101-12", "服务内容"): "为区直机关会议提供会务保障服务。"})
    html = upload(client, this_year, content).getvalue().decode()
    assert "<th scope=\"col\">服务内容</th>" in html
    assert "为区直机关会议提供会务保障服务。" in html
