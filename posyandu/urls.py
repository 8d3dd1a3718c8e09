from django.urls import path

from posyandu import views

app_name = "posyandu"

urlpatterns = [
    path("", views.home, name="home"),
    path("posyandu/", views.posyandu_list, name="list"),
    path("posyandu/baru/", views.posyandu_create, name="create"),
    path("posyandu/<int:pk>/", views.posyandu_detail, name="detail"),
    path("posyandu/<int:pk>/ubah/", views.posyandu_update, name="update"),
    path("posyandu/<int:pk>/pengurus/baru/", views.pengurus_create, name="pengurus_create"),
    path("pengurus/<int:pk>/berhenti/", views.pengurus_end, name="pengurus_end"),
]
