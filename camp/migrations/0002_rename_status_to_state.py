from django.db import migrations


class Migration(migrations.Migration):
    """One word for a workflow's position: `status` becomes `state` (issue 12), data kept."""

    dependencies = [("camp", "0001_initial")]

    operations = [
        migrations.RemoveIndex(model_name="report", name="camp_report_status_fbe530_idx"),
        migrations.RenameField(model_name="cohort", old_name="status", new_name="state"),
        migrations.RenameField(model_name="mentorship", old_name="status", new_name="state"),
        migrations.RenameField(model_name="campapplication", old_name="status", new_name="state"),
        migrations.RenameField(model_name="report", old_name="status", new_name="state"),
        migrations.RenameField(
            model_name="reportevent", old_name="from_status", new_name="from_state"
        ),
        migrations.RenameField(model_name="reportevent", old_name="to_status", new_name="to_state"),
        migrations.RenameField(model_name="reportevent", old_name="at", new_name="created_at"),
    ]
