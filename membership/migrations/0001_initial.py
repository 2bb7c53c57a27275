# The membership models moved from the core app (pfcc) to their own app. Their tables stay
# where they are for this step (state only); 0002 renames them.

import django.db.models.deletion
import django.utils.timezone
import common.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('pfcc', '0002_membership'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='MembershipApplication',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('github', models.CharField(max_length=39, validators=[common.validators.validate_github_login], verbose_name='GitHub login')),
                        ('name', models.CharField(max_length=150, verbose_name='name')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                        ('other_contact', models.CharField(blank=True, max_length=200, verbose_name='other contact')),
                        ('contributions', models.JSONField(default=list, verbose_name='contributions')),
                        ('statement', models.TextField(verbose_name='statement')),
                        ('language', models.CharField(default='zh-hans', max_length=10, verbose_name='language')),
                        ('state', models.CharField(choices=[('submitted', 'submitted'), ('under_review', 'under review'), ('accepted', 'accepted'), ('invited', 'invited'), ('rejected', 'rejected'), ('withdrawn', 'withdrawn')], default='submitted', max_length=20, verbose_name='state')),
                        ('rejection_reason', models.TextField(blank=True, verbose_name='rejection reason')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='submitted at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='membership_applications', to=settings.AUTH_USER_MODEL, verbose_name='applicant')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='membership_applications', to='pfcc.person', verbose_name='person')),
                    ],
                    options={
                        'db_table': 'pfcc_membershipapplication',
                        'verbose_name': 'membership application',
                        'verbose_name_plural': 'membership applications',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('joined_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='joined')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('person', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='membership', to='pfcc.person', verbose_name='person')),
                        ('application', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='membership', to='membership.membershipapplication', verbose_name='application')),
                    ],
                    options={
                        'db_table': 'pfcc_membership',
                        'verbose_name': 'member',
                        'verbose_name_plural': 'members',
                        'ordering': ['-joined_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='MembershipApplicationEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('from_state', models.CharField(blank=True, choices=[('submitted', 'submitted'), ('under_review', 'under review'), ('accepted', 'accepted'), ('invited', 'invited'), ('rejected', 'rejected'), ('withdrawn', 'withdrawn')], max_length=20, verbose_name='from')),
                        ('to_state', models.CharField(choices=[('submitted', 'submitted'), ('under_review', 'under review'), ('accepted', 'accepted'), ('invited', 'invited'), ('rejected', 'rejected'), ('withdrawn', 'withdrawn')], max_length=20, verbose_name='to')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='when')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='membership.membershipapplication', verbose_name='application')),
                    ],
                    options={
                        'db_table': 'pfcc_membershipapplicationevent',
                        'verbose_name': 'application history entry',
                        'verbose_name_plural': 'application history',
                        'ordering': ['created_at', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='membershipapplication',
                    index=models.Index(fields=['state', 'created_at'], name='pfcc_member_state_9551a7_idx'),
                ),
                migrations.AddConstraint(
                    model_name='membershipapplication',
                    constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['submitted', 'under_review', 'accepted'])), fields=('applicant',), name='membership_one_open_application_per_user'),
                ),
                migrations.AddConstraint(
                    model_name='membershipapplication',
                    constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['submitted', 'under_review', 'accepted'])), fields=('person',), name='membership_one_open_application_per_person'),
                ),
                migrations.AddIndex(
                    model_name='membership',
                    index=models.Index(fields=['joined_on'], name='pfcc_member_joined__0188ff_idx'),
                ),
            ],
        ),
    ]
