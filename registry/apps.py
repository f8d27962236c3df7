from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Mô hình “Dân vận khéo”"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from registry.choices import connect_signals
        from registry.sessions import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="registry.sessions.start_session_clock")
        connect_signals()
