"""The forms of the reports app: the upload of a cycle workbook."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from innovasi.accounts.forms import CrispyMixin

from .workbook.archive import EvidenceArchive
from .workbook.reader import workbook_file_check


class WorkbookImportForm(CrispyMixin, forms.Form):
    """A workbook and, when its rows name files, the ZIP that holds them; each checked as a file here (size,
    content), its cells by the preview."""

    workbook = forms.FileField(label=_("Buku kerja (.xlsx)"))
    evidence = forms.FileField(
        label=_("ZIP berkas bukti"),
        required=False,
        help_text=_("Berkas yang disebut kolom «Berkas bukti» dan kolom dokumen, dalam satu .zip."),
    )

    def __init__(self, *args, limit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workbook"].help_text = _("Paling besar %(size)s per berkas.") % {
            "size": filesizeformat(limit)
        }

    def clean_workbook(self):
        uploaded = self.cleaned_data["workbook"]
        workbook_file_check(uploaded)
        return uploaded

    def clean_evidence(self):
        uploaded = self.cleaned_data.get("evidence") or None
        if uploaded is not None:
            EvidenceArchive(uploaded).close()
        return uploaded
