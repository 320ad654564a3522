from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# The check and the import run inside the request, which gunicorn ends after 30 s. 2 MB of zipped
# CSV is about 4,000 services (a whole state), checked in about 10 s here (bench/RESULTS.md);
# national packages go through `import_hsds`.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
ACCEPTED_SUFFIXES = (".zip", ".json")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS package"),
        help_text=_(
            "A tabular data package as a .zip (datapackage.json and CSV files) or an HSDS JSON "
            "file, at most 2 MB (about 4,000 services). Nothing is saved until you have read the "
            "check and confirmed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.json"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(_("Choose a .zip data package or a .json file."))
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than 2 MB. Ask a system administrator to import it with "
                    "the import_hsds command."
                )
            )
        return upload
