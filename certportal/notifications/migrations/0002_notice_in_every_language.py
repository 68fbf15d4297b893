"""Notices carry their text in every language of the portal (read in the reader's language) and the code of their
message. Notices sent before keep their words (subject, body) and are read as written."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='template',
            field=models.CharField(blank=True, max_length=200, verbose_name='message code'),
        ),
        migrations.AddField(
            model_name='notification',
            name='texts',
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
