from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("inovasi/<int:pk>/panel/", views.innovation_panel, name="innovation_panel"),
]
