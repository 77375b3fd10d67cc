# Apart from 0004: on PostgreSQL a column filled in a migration's transaction (its foreign key checks
# still pending) cannot be altered in the same transaction.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0004_certificate_numbering'),
    ]

    operations = [
        migrations.AlterField(
            model_name='certificate',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='accounts.region'),
        ),
    ]
