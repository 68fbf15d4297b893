"""The common root of the quality app's migrations: each room's first migration depends on it."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations: list = []
