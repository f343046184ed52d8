"""The forum's pages, in the namespace "forum": the public ones (``public_patterns``, under
<municipality>/forum/) and the moderators' (``staff_patterns``, under <municipality>/manage/moderation/).
One namespace for both, as the templates name them (forum:topic, forum:moderation)."""

from django.urls import path

from . import manage_views, views

public_patterns = [
    path("<slug:municipality>/forum/", views.topic_list, name="topics"),
    path("<slug:municipality>/forum/new/", views.topic_create, name="topic_create"),
    path("<slug:municipality>/forum/<int:pk>/", views.topic_detail, name="topic"),
    path("<slug:municipality>/forum/<int:pk>/follow/", views.topic_follow, name="follow"),
    path("<slug:municipality>/forum/posts/<int:pk>/flag/", views.post_flag, name="flag"),
]

staff_patterns = [
    path("<slug:municipality>/manage/moderation/", manage_views.moderation, name="moderation"),
    path(
        "<slug:municipality>/manage/moderation/posts/<int:pk>/<str:action>/",
        manage_views.post_moderate,
        name="moderate",
    ),
    path(
        "<slug:municipality>/manage/moderation/users/<int:user_id>/unblock/",
        manage_views.user_unblock,
        name="unblock",
    ),
]

app_name = "forum"
urlpatterns = public_patterns + staff_patterns
