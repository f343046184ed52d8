"""Projects whose address name was made from a Cyrillic code by dropping its letters ("ПР-1" →
"1") get the transliterated one ("pr-1"); the old address name is kept as a former one, so that
the old address redirects. Address names given by hand are left as they are."""

from django.db import migrations
from django.utils.text import slugify

from civitas.core.text import slug_from


def transliterate_slugs(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    ProjectFormerSlug = apps.get_model("projects", "ProjectFormerSlug")
    for project in Project.objects.order_by("pk"):
        made_from_code = slugify(project.code) or "project"
        wanted = slug_from(project.code) or "project"
        if project.slug != made_from_code or wanted == project.slug:
            continue
        if Project.objects.filter(municipality_id=project.municipality_id, slug=wanted).exists():
            continue  # another project has it: leave this one's address as it is
        ProjectFormerSlug.objects.update_or_create(
            municipality_id=project.municipality_id, slug=project.slug, defaults={"project_id": project.pk}
        )
        Project.objects.filter(pk=project.pk).update(slug=wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_pages_former_slugs"),
    ]

    operations = [migrations.RunPython(transliterate_slugs, migrations.RunPython.noop)]
