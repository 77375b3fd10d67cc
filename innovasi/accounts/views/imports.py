"""The one page of every import (OPDs, users): the file, its preview, its confirmation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from innovasi.errors import PortalError
from innovasi.tables import MAX_ROWS, table_read

from .. import forms
from ..services import imports


def import_page(request, *, kind, check, run, done):
    """GET: the form. POST with a file: its preview, every row checked and nothing written; the
    confirmation of a clean preview (POST with its signed ``plan``): the import, all rows or none, then
    ``done``. A file that cannot be read, or a row found bad at the confirmation, comes back on the page
    with its messages."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    plan = token = None
    if request.method == "POST" and form.is_valid():
        region, user = request.user.region, request.user
        try:
            if form.cleaned_data["file"]:
                rows = table_read(
                    form.cleaned_data["file"], imports.COLUMNS[kind], imports.OPTIONAL_COLUMNS[kind]
                )
                plan = check(rows)
                token = imports.plan_sign(plan, rows=rows, region=region, by=user) if plan.ok else None
            else:
                done_plan = run(
                    imports.plan_rows(form.cleaned_data["plan"], kind=kind, region=region, by=user)
                )
                messages.success(
                    request,
                    _("Impor selesai: %(new)d baru, %(changed)d diubah, %(same)d tidak berubah.")
                    % {
                        "new": done_plan.count_new,
                        "changed": done_plan.count_changed,
                        "same": done_plan.count_same,
                    },
                )
                return redirect(done)
        except ValidationError as error:
            form.add_error("file", error)
        except imports.ImportRefused as error:
            plan = error.plan
            form.add_error(None, error.message)
        except PortalError as error:
            form.add_error(None, error.message)
    return render(
        request,
        f"accounts/{kind}_import.html",
        {
            "form": form,
            "plan": plan,
            "token": token,
            "columns": [names[0] for names in imports.COLUMNS[kind].values()],
            "max_rows": MAX_ROWS,
        },
    )
