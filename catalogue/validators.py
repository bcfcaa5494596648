"""Validators for the codes the policy's records carry.

The 统一社会信用代码 check follows GB 32100-2015 itself (DOMAIN.md §6): a
weighted sum mod 31 over an alphabet without I, O, Z, S and V. Some web pages
give a mod-11 rule and one popular library rejects the authority codes A, N
and Y; both are wrong, so the rule is written out here, with its test vectors
in tests/test_validators.py.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = [pow(3, i, 31) for i in range(17)]

# Position 1: the registration authority; position 2: the kind of body.
REGISTRATION_AUTHORITIES = {
    "1": _("机构编制"),
    "2": _("外交"),
    "3": _("司法行政"),
    "4": _("文化"),
    "5": _("民政"),
    "6": _("旅游"),
    "7": _("宗教"),
    "8": _("工会"),
    "9": _("工商（市场监管）"),
    "A": _("中央军委改革和编制办公室"),
    "N": _("农业"),
    "Y": _("其他"),
}


def credit_code_check_character(first17: str) -> str:
    """The 18th character for the first 17 (which must use the code's alphabet)."""
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Refuse a 统一社会信用代码 that GB 32100-2015 would not issue."""
    code = (value or "").strip()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)d位。"), code="length", params={"length": len(code)}
        )
    bad = sorted({ch for ch in code[:17] if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（只能使用数字和除I、O、Z、S、V以外的大写字母）。"),
            code="alphabet",
            params={"chars": "、".join(bad)},
        )
    if code[0] not in REGISTRATION_AUTHORITIES:
        raise ValidationError(
            _("统一社会信用代码第1位（登记管理部门代码）“%(ch)s”无效。"), code="authority", params={"ch": code[0]}
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3至8位应为登记管理机关的行政区划代码（6位数字）。"), code="region")
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：第18位应为“%(expected)s”，而不是“%(actual)s”。"),
            code="checksum",
            params={"expected": expected, "actual": code[17]},
        )


def validate_region_code(value: str) -> None:
    """A GB/T 2260 code is six digits; 功能区 without one leave it empty."""
    if value and not re.fullmatch(r"\d{6}", value):
        raise ValidationError(_("行政区划代码应为6位数字（GB/T 2260），例如 421200。"), code="region_code")


# 发文字号 (GB/T 9704-2012 党政机关公文格式, 7.2.4): 发文机关代字, the year in full between 六角括号 〔〕,
# and the sequence number without 第 and without leading zeros, followed by 号: 咸财综发〔2018〕3号.
# Clerks type it every other way (咸财综发2018年3号, [2018], （2018）, 【2018】, 第03号, full-width
# digits); each is read and written back in the one official form, or refused.
_OPENING = "〔[［【（(〈<「｛{"
_CLOSING = "〕]］】）)〉>」｝}"
_DOCUMENT_NUMBER = re.compile(
    rf"^(?P<agency>[\u3400-\u9fff]{{2,20}})"
    rf"[{re.escape(_OPENING)}]?(?P<year>\d{{4}})[{re.escape(_CLOSING)}]?年?"
    r"第?(?P<sequence>\d{1,5})号$"
)
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalise_document_number(value, *, year=None):
    """The 文号 in its official form (机关代字〔年份〕序号号), or a ValidationError saying what is wrong.

    `year`, when given, is the year of the 发布日期: a document is numbered in the year it is issued.
    """
    text = re.sub(r"\s+", "", (value or "").translate(_FULL_WIDTH_DIGITS))
    if not text:
        raise ValidationError(_("发布目录须填写文号。"), code="required")
    match = _DOCUMENT_NUMBER.match(text)
    if match is None:
        raise ValidationError(
            _("文号“%(value)s”的格式不对：应为“机关代字〔年份〕序号号”，例如：咸财综发〔2018〕3号。"),
            code="format",
            params={"value": value.strip()},
        )
    number_year, sequence = int(match["year"]), int(match["sequence"])
    if not 2015 <= number_year <= 2100:
        raise ValidationError(
            _("文号中的年份%(year)s不对：应为发文当年的四位年份，例如〔2018〕。"), code="year", params={"year": number_year}
        )
    if sequence == 0:
        raise ValidationError(_("文号中的序号应从1开始。"), code="sequence")
    if year is not None and number_year != year:
        raise ValidationError(
            _("文号中的年份（%(number_year)s）与发布日期的年份（%(year)s）不一致：文号按发文当年编号。"),
            code="year_mismatch",
            params={"number_year": number_year, "year": year},
        )
    return f"{match['agency']}〔{number_year}〕{sequence}号"
