# The audit tables (security events, project workflow, scoring/awards/payouts) refuse UPDATE
# and DELETE in the database itself: see unionproj/append_only.py.

from django.db import migrations

from unionproj import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0004_audit_parents_protected"),
        ("projects", "0003_audit_parents_protected"),
        ("members", "0002_audit"),
    ]

    operations = [
        migrations.RunPython(append_only.install, append_only.uninstall, elidable=False),
    ]
