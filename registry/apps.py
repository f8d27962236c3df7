from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Mô hình “Dân vận khéo”"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_started

        from registry.sessions import start_session_clock
        from registry.terms import clear_cache

        user_logged_in.connect(start_session_clock, dispatch_uid="registry.sessions.start_session_clock")
        # A guidance renamed in another worker shows from the next request on (one small query per request).
        request_started.connect(clear_cache, dispatch_uid="registry.terms.clear_cache")

        from django.db.models.signals import pre_save

        from registry.models import FormText
        from registry.papers.wording import refuse_undeclared

        # Form wording with an undeclared key or placeholder is refused wherever it comes from (admin, fixtures).
        pre_save.connect(refuse_undeclared, sender=FormText, dispatch_uid="registry.papers.wording.refuse_undeclared")
