"""The portal's own API tokens (portal/models/tokens.py), in place of rest_framework.authtoken.

DRF's table kept every token's key in clear and is no longer read: it goes, so that a copy of the
database holds no key that could ever work again. Its rows in django_migrations stay as history.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_audit_records_are_permanent'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(blank=True, max_length=100, verbose_name='label')),
                ('prefix', models.CharField(max_length=8, verbose_name='first characters')),
                ('digest', models.CharField(editable=False, max_length=64, unique=True)),
                ('password_stamp', models.CharField(editable=False, max_length=128)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('last_used_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='last used')),
                ('last_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='last address')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
