from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the portal: ``manage.py backup`` and ``manage.py restore``.

    No models: it copies every app's tables whole, with the database's own tools, and so imports nothing
    above ``innovasi``. No verbose name either: without models the admin never shows the app.
    """

    name = "innovasi.operations"
    label = "operations"
