from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civitas.core"
    label = "core"
    verbose_name = _("Municipalities and roles")

    def ready(self):
        # Imported here, not at the top: throttle reads the cache settings, which are ready
        # only once the app registry is.
        from . import throttle

        # A deployment that only runs `migrate` has the rate-limit counters' table too.
        post_migrate.connect(throttle.create_counter_table, sender=self)
