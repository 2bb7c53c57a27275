# One word for a workflow's position everywhere: `state` (was `status`). Renamed, data kept.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pfcc', '0003_membership_moved'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='outgoingemail',
            name='pfcc_outgoi_status_b226fc_idx',
        ),
        migrations.RenameField(
            model_name='outgoingemail',
            old_name='status',
            new_name='state',
        ),
        migrations.AlterField(
            model_name='outgoingemail',
            name='state',
            field=models.CharField(choices=[('pending', 'pending'), ('sent', 'sent'), ('failed', 'failed permanently')], default='pending', max_length=10, verbose_name='state'),
        ),
        migrations.AddIndex(
            model_name='outgoingemail',
            index=models.Index(fields=['state', 'created_at'], name='pfcc_outgoi_state_e9fe90_idx'),
        ),
    ]
