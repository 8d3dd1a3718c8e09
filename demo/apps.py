from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Only for its management commands (demo_load, bench, ...): no models, no URLs."""

    name = "demo"
    verbose_name = "Demo"
