from django.urls import path

from chat.runs import views

urlpatterns = [
    path("", views.run_list, name="runs-list"),
    path("new/", views.new_run, name="runs-new"),
    path("<uuid:code>/", views.run_page, name="runs-run"),
    path("<uuid:code>/status/", views.run_status, name="runs-status"),
    path("<uuid:code>/stop/", views.stop, name="runs-stop"),
    path("<uuid:code>/retry/", views.retry_failed, name="runs-retry-failed"),
    path("<uuid:code>/items/<int:position>/retry/", views.retry_item, name="runs-retry-item"),
    path("<uuid:code>/download.<str:format>", views.download, name="runs-download"),
]
