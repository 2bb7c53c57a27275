# Every task is in a set (0005 moved each edition's tasks into its main set). A migration of its
# own: PostgreSQL cannot alter a table with the data migration's pending trigger events.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hackathon", "0005_task_sets"),
    ]

    operations = [
        migrations.AlterField(
            model_name="task",
            name="task_set",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="tasks", to="hackathon.taskset", verbose_name="task set"),
        ),
        migrations.AddConstraint(
            model_name="task",
            constraint=models.UniqueConstraint(fields=("task_set", "number"), name="task_number_in_set"),
        ),
    ]
