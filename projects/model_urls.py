"""Success models: the list, proposals, the council's decision, photos, replications and the public page."""

from django.urls import path

from projects.views import models

urlpatterns = [
    path("models/", models.model_list, name="model_list"),
    path("models/<int:pk>/", models.model_detail, name="model_detail"),
    path("models/<int:pk>/decide/", models.model_decide, name="model_decide"),
    path("models/<int:pk>/photos/new/", models.model_photo_new, name="model_photo_new"),
    path("models/<int:pk>/photos/<int:photo_pk>/", models.model_photo, name="model_photo"),
    path("projects/<int:pk>/model/propose/", models.model_propose, name="model_propose"),
    path("projects/<int:pk>/replicates/", models.project_replicates, name="project_replicates"),
    # Public: the confirmed models whose founders agreed to their publication.
    path("mo-hinh-thanh-cong/", models.public_models, name="public_models"),
]
