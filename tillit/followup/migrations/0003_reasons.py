"""Store why a result needs a joint look (codes, most serious first) and how serious, with the result."""

from django.db import migrations, models

# Frozen here as they were when the fields came: (code, weight). Engine codes: Assurance.HIT_OR_MISS = 2,
# Assurance.OUTSIDE = 3, Variation.CONCERN_HIGH = 4, Variation.CONCERN_LOW = 5.
WEIGHTS = {"boundary_crossed": 16, "boundary_report": 8, "outside": 4, "hit_or_miss": 2, "special_cause": 1}


def fill_reasons(apps, schema_editor):
    AnalysisResult = apps.get_model("followup", "AnalysisResult")
    changed = []
    for result in AnalysisResult.objects.filter(needs_look=True).only(
        "pk", "variation", "assurance", "boundary_crossed"
    ):
        codes = []
        if result.boundary_crossed:
            codes.append("boundary_crossed")
        if result.assurance == 3:
            codes.append("outside")
        elif result.assurance == 2:
            codes.append("hit_or_miss")
        if result.variation in (4, 5):
            codes.append("special_cause")
        result.reasons = codes
        result.severity = sum(WEIGHTS[code] for code in codes)
        changed.append(result)
    AnalysisResult.objects.bulk_update(changed, ["reasons", "severity"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="analysisresult",
            name="reasons",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="analysisresult",
            name="severity",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(fill_reasons, migrations.RunPython.noop),
    ]
