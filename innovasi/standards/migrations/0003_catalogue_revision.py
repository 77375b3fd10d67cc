import uuid

from django.db import migrations, models


def revisions(apps, schema_editor):
    """Each catalogue its own revision (a default would give every existing row the same one)."""
    Catalogue = apps.get_model("standards", "Catalogue")
    for catalogue in Catalogue.objects.all():
        catalogue.revision = uuid.uuid4()
        catalogue.save(update_fields=["revision"])


class Migration(migrations.Migration):

    dependencies = [
        ("standards", "0002_indicator_guidance"),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogue",
            name="revision",
            field=models.UUIDField(null=True, verbose_name="revisi"),
        ),
        migrations.RunPython(revisions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="catalogue",
            name="revision",
            field=models.UUIDField(default=uuid.uuid4, verbose_name="revisi"),
        ),
    ]
