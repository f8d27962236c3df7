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

        from django.db.models.signals import pre_save

        from registry.models import FormText
        from registry.papers.wording import refuse_undeclared

        # Form wording with an undeclared key or placeholder is refused wherever it comes from (admin, fixtures).
        pre_save.connect(refuse_undeclared, sender=FormText, dispatch_uid="registry.papers.wording.refuse_undeclared")
        connect_signals()
