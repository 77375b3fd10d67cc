"""Cycles get stages with dates, a history, and per-OPD deadline extensions.

The single closing date the cycle had (``closes_on``, enforced nowhere) becomes the filing deadline. The
stages after it did not exist: an existing cycle is given verification until 30 days after its filing
deadline, revision for 14 days more and its final date 14 days after that, which its admin adjusts on the
cycle's page. Each existing cycle gets a first history record of what it holds now, so that the first
change made after this migration is listed with its old and new values.
"""

import datetime

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

VERIFICATION_DAYS, REVISION_DAYS, FINAL_DAYS = 30, 14, 14
STATES = [
    ("draft", "Persiapan"),
    ("open", "Pengisian"),
    ("verification", "Verifikasi"),
    ("revision", "Perbaikan"),
    ("final", "Final"),
]


def schedules(apps, schema_editor):
    Cycle = apps.get_model("standards", "Cycle")
    HistoricalCycle = apps.get_model("standards", "HistoricalCycle")
    now = timezone.now()
    for cycle in Cycle.objects.all():
        cycle.verification_closes_on = cycle.filing_closes_on + datetime.timedelta(days=VERIFICATION_DAYS)
        cycle.revision_closes_on = cycle.verification_closes_on + datetime.timedelta(days=REVISION_DAYS)
        cycle.final_on = cycle.revision_closes_on + datetime.timedelta(days=FINAL_DAYS)
        cycle.save(update_fields=["verification_closes_on", "revision_closes_on", "final_on"])
        HistoricalCycle.objects.create(
            id=cycle.pk,
            region_id=cycle.region_id,
            catalogue_id=cycle.catalogue_id,
            name=cycle.name,
            opens_on=cycle.opens_on,
            filing_closes_on=cycle.filing_closes_on,
            verification_closes_on=cycle.verification_closes_on,
            revision_closes_on=cycle.revision_closes_on,
            final_on=cycle.final_on,
            state=cycle.state,
            history_date=now,
            history_type="~",
            history_change_reason="Jadwal tahap ditambahkan: batas pengisian dari tanggal tutup siklus",
        )


def closing_dates(apps, schema_editor):
    """Going back keeps the filing deadline as the single closing date; the rest is dropped."""


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_password_reset_request'),
        ('standards', '0003_catalogue_revision'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='cycle',
            name='cycle_closes_after_opening',
        ),
        migrations.RenameField(
            model_name='cycle',
            old_name='closes_on',
            new_name='filing_closes_on',
        ),
        migrations.AlterField(
            model_name='cycle',
            name='filing_closes_on',
            field=models.DateField(verbose_name='batas pengisian'),
        ),
        migrations.AddField(
            model_name='cycle',
            name='verification_closes_on',
            field=models.DateField(null=True, verbose_name='batas verifikasi'),
        ),
        migrations.AddField(
            model_name='cycle',
            name='revision_closes_on',
            field=models.DateField(null=True, verbose_name='batas perbaikan'),
        ),
        migrations.AddField(
            model_name='cycle',
            name='final_on',
            field=models.DateField(null=True, verbose_name='tanggal final'),
        ),
        migrations.AddField(
            model_name='cycle',
            name='version',
            field=models.PositiveIntegerField(default=1, verbose_name='versi'),
        ),
        migrations.AlterField(
            model_name='cycle',
            name='opens_on',
            field=models.DateField(verbose_name='pengisian dibuka'),
        ),
        migrations.AlterField(
            model_name='cycle',
            name='state',
            field=models.CharField(choices=STATES, default='draft', max_length=20, verbose_name='tahap'),
        ),
        migrations.CreateModel(
            name='HistoricalCycle',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='nama')),
                ('opens_on', models.DateField(verbose_name='pengisian dibuka')),
                ('filing_closes_on', models.DateField(verbose_name='batas pengisian')),
                ('verification_closes_on', models.DateField(verbose_name='batas verifikasi')),
                ('revision_closes_on', models.DateField(verbose_name='batas perbaikan')),
                ('final_on', models.DateField(verbose_name='tanggal final')),
                ('state', models.CharField(choices=STATES, default='draft', max_length=20, verbose_name='tahap')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('catalogue', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='standards.catalogue', verbose_name='katalog')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.region', verbose_name='wilayah')),
            ],
            options={
                'verbose_name': 'historical siklus penilaian',
                'verbose_name_plural': 'historical siklus penilaian',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(schedules, closing_dates),
        migrations.AlterField(
            model_name='cycle',
            name='verification_closes_on',
            field=models.DateField(verbose_name='batas verifikasi'),
        ),
        migrations.AlterField(
            model_name='cycle',
            name='revision_closes_on',
            field=models.DateField(verbose_name='batas perbaikan'),
        ),
        migrations.AlterField(
            model_name='cycle',
            name='final_on',
            field=models.DateField(verbose_name='tanggal final'),
        ),
        migrations.AddConstraint(
            model_name='cycle',
            constraint=models.CheckConstraint(condition=models.Q(('filing_closes_on__gte', models.F('opens_on'))), name='cycle_filing_closes_after_opening'),
        ),
        migrations.AddConstraint(
            model_name='cycle',
            constraint=models.CheckConstraint(condition=models.Q(('verification_closes_on__gt', models.F('filing_closes_on'))), name='cycle_verification_closes_after_filing'),
        ),
        migrations.AddConstraint(
            model_name='cycle',
            constraint=models.CheckConstraint(condition=models.Q(('revision_closes_on__gt', models.F('verification_closes_on'))), name='cycle_revision_closes_after_verification'),
        ),
        migrations.AddConstraint(
            model_name='cycle',
            constraint=models.CheckConstraint(condition=models.Q(('final_on__gt', models.F('revision_closes_on'))), name='cycle_final_after_revision'),
        ),
        migrations.CreateModel(
            name='DeadlineExtension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('filing', 'Batas pengisian'), ('revision', 'Batas perbaikan')], max_length=20, verbose_name='batas')),
                ('closes_on', models.DateField(verbose_name='diperpanjang sampai')),
                ('reason', models.TextField(verbose_name='alasan')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='dibuat pada')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='diubah pada')),
                ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extensions', to='standards.cycle', verbose_name='siklus')),
                ('granted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='diberikan oleh')),
                ('opd', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deadline_extensions', to='accounts.opd', verbose_name='OPD')),
            ],
            options={
                'verbose_name': 'perpanjangan batas waktu',
                'verbose_name_plural': 'perpanjangan batas waktu',
                'ordering': ['cycle', 'opd__name', 'kind'],
                'constraints': [
                    models.UniqueConstraint(fields=('cycle', 'opd', 'kind'), name='extension_one_per_opd_and_deadline'),
                    models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='extension_has_reason'),
                ],
            },
        ),
        migrations.CreateModel(
            name='HistoricalDeadlineExtension',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('filing', 'Batas pengisian'), ('revision', 'Batas perbaikan')], max_length=20, verbose_name='batas')),
                ('closes_on', models.DateField(verbose_name='diperpanjang sampai')),
                ('reason', models.TextField(verbose_name='alasan')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='dibuat pada')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='diubah pada')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('cycle', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='standards.cycle', verbose_name='siklus')),
                ('granted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='diberikan oleh')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('opd', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.opd', verbose_name='OPD')),
            ],
            options={
                'verbose_name': 'historical perpanjangan batas waktu',
                'verbose_name_plural': 'historical perpanjangan batas waktu',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
