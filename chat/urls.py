from django.urls import include, path

from chat.accounts import views as accounts
from chat.compare import views as compare
from chat.ops import csp, metrics
from chat.studio import views as studio
from chat.views import conversations, documents, feedback, images, schemas, sidebar, tables

urlpatterns = [
    path("", conversations.home, name="chat-home"),
    path("c/", sidebar.conversation_list, name="chat-list"),
    path("c/new/", conversations.new_conversation, name="chat-new"),
    path("c/<uuid:code>/", conversations.conversation, name="chat-conversation"),
    path("c/<uuid:code>/messages/", conversations.older_messages, name="chat-older-messages"),
    path("c/<uuid:code>/image-history/", conversations.image_history, name="chat-image-history"),
    path("c/<uuid:code>/model/", conversations.conversation_model, name="chat-model"),
    path("c/<uuid:code>/settings/", conversations.conversation_settings, name="chat-settings"),
    path("c/<uuid:code>/image-settings/", studio.image_settings, name="chat-image-settings"),
    path("c/<uuid:code>/rename/", sidebar.rename, name="chat-rename"),
    path("c/<uuid:code>/delete/", sidebar.delete, name="chat-delete"),
    path("settings/", accounts.preferences, name="chat-preferences"),
    path("settings/schemas/", schemas.schemas, name="chat-schemas"),
    path("settings/schemas/<uuid:code>/delete/", schemas.delete_schema, name="chat-schema-delete"),
    path("leaderboard/", compare.leaderboard_page, name="chat-leaderboard"),
    path("messages/<int:pk>/feedback/", feedback.feedback, name="chat-feedback"),
    path("messages/<int:pk>/tables/<int:index>.<str:format>", tables.table, name="chat-table"),
    path("messages/<int:pk>/extraction.<str:format>", tables.extraction, name="chat-extraction"),
    path("upload/", images.upload, name="chat-upload"),
    path("upload/url/", images.image_from_url, name="chat-upload-url"),
    path("images/", studio.your_images, name="chat-your-images"),
    path("images/<uuid:code>/", images.image, name="chat-image"),
    path("images/<uuid:code>/original/", images.image_original, name="chat-image-original"),
    path("images/<uuid:code>/crop/", images.crop, name="chat-image-crop"),
    path("images/<uuid:code>/reuse/", studio.reuse, name="chat-image-reuse"),
    path("images/<uuid:code>/lineage/", studio.image_lineage, name="chat-image-lineage"),
    path("images/<uuid:code>/download/", studio.download, name="chat-image-download"),
    path("images/<uuid:code>/display/", studio.display, name="chat-image-display"),
    path("images/<uuid:code>/markup/", studio.markup, name="chat-image-markup"),
    path("images/<uuid:code>/thumbnail/", images.image_thumbnail, name="chat-image-thumbnail"),
    path("documents/<uuid:code>/", documents.document, name="chat-document"),
    path("documents/<uuid:code>/text/", documents.document_text, name="chat-document-text"),
    path(
        "documents/<uuid:code>/original/",
        documents.document_original,
        name="chat-document-original",
    ),
    path("runs/", include("chat.runs.urls")),
    path("csp-report/", csp.report, name="chat-csp-report"),
    path("metrics", metrics.view, name="chat-metrics"),
]
