"""Forms the admin's operations ask before calling a service (publish, withdraw, return …).

The forms only collect input; the services in catalogue/services check the rules and may still
refuse with a ValidationError, whose messages `add_service_errors` puts on the form's fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Catalogue


class DateInput(forms.DateInput):
    """The browser's own date picker: no script needed (the Content-Security-Policy forbids inline ones)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def reason_field(label, required_message, help_text="", max_length=1000, rows=3):
    """A reason the record keeps (撤回理由, 退回理由 …): required, a few lines, and its own words when it is missing."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": required_message},
    )


def today_if_empty_field(label, invalid_message):
    """A date the service takes as today when it is left empty (认定日期, 公开日期)."""
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput,
        help_text=_("留空为今天。"),
        error_messages={"invalid": invalid_message},
    )


class OperationForm(forms.Form):
    """Base for the operations' forms; an operation without input uses it as is (a confirmation)."""

    def add_service_errors(self, error):
        """Put a service's ValidationError on the fields it names, the rest above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)

    @property
    def service_arguments(self):
        return dict(self.cleaned_data)


class PublishForm(OperationForm):
    document_number = forms.CharField(
        label=_("文号"),
        max_length=60,
        help_text=_("例如：咸财综发〔2016〕12号。按“机关代字〔年份〕序号号”保存，年份须与发布日期一致。"),
        error_messages={"required": _("发布目录须填写文号。")},
    )
    published_on = forms.DateField(
        label=_("发布日期"),
        widget=DateInput,
        error_messages={"required": _("发布目录须填写发布日期。"), "invalid": _("请输入有效的日期，例如 2016-03-01。")},
    )

    def clean_document_number(self):
        value = self.cleaned_data["document_number"].strip()
        if not value:
            raise forms.ValidationError(_("发布目录须填写文号。"))
        return value


class WithdrawForm(OperationForm):
    reason = reason_field(
        _("撤回理由"), _("撤回目录须说明理由。"), _("写入目录的历史记录，例如“文号有误，重新印发”。"), max_length=500
    )


class RevisionForm(OperationForm):
    notes = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("新版次的说明，例如调整了哪些事项、依据什么文件；不填则沿用原版次的说明。"),
    )


class CorrectionForm(PublishForm):
    """The 文号 and date as PublishForm asks them, corrected, with the reason the public page shows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_number"].help_text = _("更正后的文号，例如：咸财综发〔2016〕12号。")

    reason = reason_field(
        _("更正理由"),
        _("更正发布信息须说明理由。"),
        _("例如“印发稿文号为3号，录入时误为30号”。理由在公开页面上显示，并记入目录的历史记录。"),
        max_length=500,
    )


class NextYearForm(OperationForm):
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2015,
        max_value=2100,
        error_messages={
            "required": _("请填写要编制的年度。"),
            "invalid": _("年度应为四位数字，例如 2018。"),
            "min_value": _("目录年度不能早于2015年。"),
            "max_value": _("目录年度不能晚于2100年。"),
        },
        help_text=_("新目录以本行政区划最新发布的版次为底稿，作为草稿编制。"),
    )


class PilotCommentForm(OperationForm):
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PilotReturnForm(OperationForm):
    comment = reason_field(
        _("退回理由"),
        _("退回时须填写理由，告诉报送单位需要修改什么。"),
        _("告诉报送单位需要修改什么；理由会记入流转记录。"),
        rows=4,
    )


def initial_next_year(edition: Catalogue):
    return {"year": edition.year + 1}


def initial_correction(edition: Catalogue):
    return {"document_number": edition.document_number, "published_on": edition.published_on}


__all__ = [
    "CorrectionForm",
    "NextYearForm",
    "OperationForm",
    "PilotCommentForm",
    "PilotReturnForm",
    "PublishForm",
    "RevisionForm",
    "WithdrawForm",
    "initial_correction",
    "initial_next_year",
]
