# The membership models moved to the membership app (membership/0001 takes them over in the
# migration state; the tables are renamed by membership/0002).

from django.db import migrations


def move_content_types(apps, schema_editor):
    """Keep staff permissions on the moved models: their content types change app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("membershipapplication", "membershipapplicationevent", "membership"):
        if ContentType.objects.filter(app_label="membership", model=model).exists():
            continue
        ContentType.objects.filter(app_label="pfcc", model=model).update(app_label="membership")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("membershipapplication", "membershipapplicationevent", "membership"):
        ContentType.objects.filter(app_label="membership", model=model).update(app_label="pfcc")


class Migration(migrations.Migration):

    dependencies = [
        ('pfcc', '0002_membership'),
        ('membership', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='MembershipApplicationEvent'),
                migrations.DeleteModel(name='Membership'),
                migrations.DeleteModel(name='MembershipApplication'),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
