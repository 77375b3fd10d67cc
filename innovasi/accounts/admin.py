import json

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .models import Opd, Region, User
from .services.region import tree_refusal

FINGERPRINT_FIELD = "_portal_fingerprint"


def _stored_values(instance):
    return [field.value_from_object(instance) for field in instance._meta.concrete_fields]


class StaleChangeRefusedAdmin:
    """A change form posted on an object that changed since the form was opened saves nothing: the form
    carries a fingerprint of what was stored when it was rendered (the object's fields, its many-to-many
    links and its inlines' rows), and the save compares it with what is stored now, under a lock on the
    object's row, so that two saves of one object take turns. A stale form comes back with a message.

    Every ModelAdmin the portal registers has this mixin first (tests/innovasi/test_admin.py walks them).
    """

    stale_message = _(
        "Data ini sudah diubah orang lain sejak formulir ini dibuka; perubahan Anda tidak disimpan. "
        "Muat ulang halaman untuk melihat data terbaru, lalu ulangi perubahan Anda."
    )

    def object_fingerprint(self, request, obj):
        """A keyed hash of what is stored of ``obj`` and of its inlines' rows (keyed: the hash covers the
        password hash of a user, and is sent to the browser)."""
        parts = [_stored_values(obj)]
        parts += [
            sorted(getattr(obj, field.name).values_list("pk", flat=True)) for field in obj._meta.many_to_many
        ]
        for inline in self.get_inline_instances(request, obj):
            link = inline.get_formset(request, obj).fk
            rows = inline.model._default_manager.filter(**{link.name: obj}).order_by("pk")
            parts.append([_stored_values(row) for row in rows])
        payload = json.dumps(parts, sort_keys=True, default=str)
        return salted_hmac("innovasi.admin.change_form", payload, algorithm="sha256").hexdigest()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST" and transaction.get_connection().in_atomic_block:
            # changeform_view's transaction: the fingerprint is compared, and the form saved, under this lock.
            obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        return obj

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        if obj is None or request.method != "POST":
            return form_class
        model_admin = self

        class StaleRefusedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                # Still what get_object read under the lock: the form writes into it only after clean().
                if self.data.get(FINGERPRINT_FIELD) != model_admin.object_fingerprint(request, self.instance):
                    raise ValidationError(model_admin.stale_message, code="stale")
                return cleaned_data

        StaleRefusedForm.__name__ = form_class.__name__
        return StaleRefusedForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if change and obj is not None:
            # A form sent back with errors keeps the fingerprint it was opened with.
            fingerprint = (
                request.POST.get(FINGERPRINT_FIELD, "")
                if request.method == "POST"
                else self.object_fingerprint(request, obj)
            )
            response.context_data.update(
                portal_change_form_parent=response.resolve_template(response.template_name),
                portal_fingerprint_field=FINGERPRINT_FIELD,
                portal_fingerprint=fingerprint,
            )
            response.template_name = "admin/portal_change_form.html"
        return response


class RegionScopedAdmin(StaleChangeRefusedAdmin, admin.ModelAdmin):
    """Django admin pages a regency's admin may use: they see and pick only their own region's rows.

    ``region_path`` is the lookup from the model to its region. A superuser sees every region.
    """

    region_path = "region"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.region_path: request.user.region_id})

    def get_list_filter(self, request):
        list_filter = super().get_list_filter(request)
        if request.user.is_superuser:
            return list_filter
        # A related field's filter lists every row of the related table: every region, and every region's
        # OPDs and cycles. A regency's admin is offered only those its own region's rows point to.
        return [
            (item, admin.RelatedOnlyFieldListFilter)
            if isinstance(item, str) and get_fields_from_path(self.model, item)[-1].is_relation
            else item
            for item in list_filter
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "region":
                kwargs["queryset"] = Region.objects.filter(pk=request.user.region_id)
            elif db_field.name == "opd":
                kwargs["queryset"] = Opd.objects.filter(region=request.user.region_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RegionForm(forms.ModelForm):
    """The region's name, kind, code and parent, the tree kept as ``services.region.tree_refusal`` says:
    the same rule as ``region_place`` and ``setup_region --parent``."""

    class Meta:
        model = Region
        fields = ["name", "kind", "code", "parent"]

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind", self.instance.kind)
        parent = cleaned_data.get("parent", self.instance.parent if self.instance.pk else None)
        if kind:
            refusal = tree_refusal(
                region=self.instance if self.instance.pk else None, kind=kind, parent=parent
            )
            if refusal:
                raise ValidationError(refusal, code="tree")
        return cleaned_data


@admin.register(Region)
class RegionAdmin(RegionScopedAdmin):
    region_path = "pk"
    form = RegionForm
    # The letterhead, signatories and numbering are changed on the portal's settings page, which checks
    # the logo like every upload and keeps the history with the old and new values.
    fields = ["name", "kind", "code", "parent"]
    list_display = ["name", "kind", "code", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Where a region lies decides who reads it from above: only a superuser moves it (and its kind
        # with it, which the regions below it depend on).
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["kind", "parent"]


@admin.register(Opd)
class OpdAdmin(RegionScopedAdmin):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active", "region"]
    search_fields = ["name", "short_name"]
    list_select_related = ["region"]


@admin.register(User)
class UserAdmin(RegionScopedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "opd", "region", "is_active"]
    list_filter = ["role", "is_active", "region"]
    list_select_related = ["opd", "region"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Peran di portal"), {"fields": ["region", "role", "opd"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Peran di portal"), {"fields": ["email", "first_name", "last_name", "region", "role", "opd"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out superuser or staff rights, or Django's own permission lists.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "is_staff", "groups", "user_permissions", "last_login", "date_joined"]
