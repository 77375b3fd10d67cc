"""Demo data of the reports app (``seed_demo``): some verified innovations published in the gallery, and
the certificates of the closed cycle, so that the gallery and the certificate QR codes have something."""

from innovasi.accounts.models import User
from submissions import services as submission_services
from submissions.enums import InnovationState
from submissions.models import Innovation

from . import services

# Per cycle, the first verified innovations published, up to this many: a second seed publishes no more.
PUBLISHED = 24


def seed(context):
    admin = User.objects.get(username="admin")
    for cycle in (context["previous_cycle"], context["cycle"]):
        verified = Innovation.objects.filter(cycle=cycle, state=InnovationState.TERVERIFIKASI)
        missing = PUBLISHED - verified.filter(is_published=True).count()
        for innovation in verified.filter(is_published=False).order_by("pk")[: max(missing, 0)]:
            submission_services.innovation_publish(innovation=innovation, user=admin, published=True)
    issued = services.certificates_issue(cycle=context["previous_cycle"], by=admin)
    published = Innovation.objects.filter(is_published=True).count()
    context["stdout"].write(f"gallery: {published} innovations published; {len(issued)} certificates issued")
