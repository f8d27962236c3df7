from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Mô hình “Dân vận khéo”"
    default_auto_field = "django.db.models.BigAutoField"
