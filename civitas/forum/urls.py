from django.urls import path

from . import views

app_name = "forum"

urlpatterns = [
    path("<slug:municipality>/forum/", views.topic_list, name="topics"),
    path("<slug:municipality>/forum/new/", views.topic_create, name="topic_create"),
    path("<slug:municipality>/forum/<int:pk>/", views.topic_detail, name="topic"),
    path("<slug:municipality>/forum/<int:pk>/follow/", views.topic_follow, name="follow"),
    path("<slug:municipality>/forum/posts/<int:pk>/flag/", views.post_flag, name="flag"),
    path("<slug:municipality>/manage/moderation/", views.moderation, name="moderation"),
    path(
        "<slug:municipality>/manage/moderation/posts/<int:pk>/<str:action>/",
        views.post_moderate,
        name="moderate",
    ),
    path(
        "<slug:municipality>/manage/moderation/users/<int:user_id>/unblock/",
        views.user_unblock,
        name="unblock",
    ),
]
