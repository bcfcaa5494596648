"""The import's upload form: the file and whether its rows add items or update them by 编码."""

from django import forms
from django.utils.translation import gettext_lazy

from catalogue import imports


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("目录表格文件"),
        help_text=gettext_lazy("Excel（.xlsx）或 CSV 文件，第一行（或标题行下面一行）为表头。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("导入方式"),
        choices=[
            (imports.Mode.ADD, gettext_lazy("全部作为新事项添加（编码不能与本目录已有事项重复）")),
            (imports.Mode.UPDATE, gettext_lazy("按编码更新：编码与本目录已有事项相同的行修改该事项，其余行作为新事项添加")),
        ],
        initial=imports.Mode.ADD,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_mode(self):
        return self.cleaned_data.get("mode") or imports.Mode.ADD
