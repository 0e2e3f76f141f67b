"""The "Reviewers" group with both review permissions, the starting tag set,
and on PostgreSQL the full-text index the conversation list's search uses."""

from django.db import migrations

PERMISSIONS = [
    ("conversation", "review_conversation", "Can read and review every conversation"),
    ("imageattachment", "view_original_image", "Can open original images, metadata and all"),
]
TAGS = [
    ("wrong-answer", "The answer is wrong"),
    ("ocr-error", "Text in the image was misread"),
    ("unsafe", "Harmful or policy-breaking content"),
    ("hallucinated-object", "The answer describes something not in the image"),
]
# Must match queries.search(): SearchVector("text", config="english").
SEARCH_INDEX = (
    "CREATE INDEX IF NOT EXISTS review_message_text_search ON chat_message "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
)


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Tag = apps.get_model("review", "Tag")
    group, _ = Group.objects.get_or_create(name="Reviewers")
    for model, codename, name in PERMISSIONS:
        # Permissions are normally made after migrating; make them now to grant them.
        content_type, _ = ContentType.objects.get_or_create(app_label="chat", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)
    for name, description in TAGS:
        Tag.objects.get_or_create(name=name, defaults={"description": description})


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Reviewers").delete()


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_INDEX)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS review_message_text_search")


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("chat", "0008_review_permissions_feedback"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_group, remove_group),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
