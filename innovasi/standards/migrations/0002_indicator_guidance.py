# The guidance of an indicator in both languages. The old English texts become the `_en` fields (they were
# English), so a catalogue keeps showing them until `load_catalog` fills the rest from the catalogue files.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('standards', '0001_initial'),
    ]

    operations = [
        migrations.RenameField(
            model_name='indicator',
            old_name='description',
            new_name='description_en',
        ),
        migrations.RenameField(
            model_name='indicator',
            old_name='evidence_required',
            new_name='evidence_en',
        ),
        migrations.AlterField(
            model_name='indicator',
            name='description_en',
            field=models.TextField(blank=True, verbose_name='keterangan (Inggris)'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='evidence_en',
            field=models.TextField(blank=True, verbose_name='bukti yang diminta (Inggris)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='description_id',
            field=models.TextField(blank=True, verbose_name='keterangan (Indonesia)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='evidence_id',
            field=models.TextField(blank=True, verbose_name='bukti yang diminta (Indonesia)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='examples_id',
            field=models.JSONField(blank=True, default=list, verbose_name='contoh bukti yang sah (Indonesia)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='examples_en',
            field=models.JSONField(blank=True, default=list, verbose_name='contoh bukti yang sah (Inggris)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='rejection_reasons_id',
            field=models.JSONField(blank=True, default=list, verbose_name='alasan penolakan yang umum (Indonesia)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='rejection_reasons_en',
            field=models.JSONField(blank=True, default=list, verbose_name='alasan penolakan yang umum (Inggris)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='basis_labels',
            field=models.JSONField(blank=True, default=dict, verbose_name='nama dasar pengukuran'),
        ),
    ]
