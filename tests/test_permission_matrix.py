"""Who may do what: every URL of the portal × every persona of two regions × GET and POST.

``MATRIX`` below is the readable statement of the portal's permissions, and the test holds the portal to
it. The URLs are walked from the resolver: a new URL without a row fails the test. Each request runs in
a savepoint rolled back afterwards, against one shared world built once (``world``), and no GET, nor a
refused POST, may write anything.

Outcomes: the status code, or ``in`` for a redirect to the log-in page. ``200``/``302`` mean the persona
may do it (a 302 to anywhere but the log-in page: the form was handled); ``400`` that the persona may but
the empty form lacks an id; ``403`` that the persona may see the object but not do this; ``404`` that the
object is not theirs to see (an outsider cannot tell it exists); ``405`` the wrong method.

Personas: anonymous; in the region: operator A (OPD A, whose innovations the objects are), operator B,
the head of OPD A (kepala OPD: the region asks for the head's endorsement, and one submission of OPD A
waits for it), the verifikator assigned to the submitted innovation, a second verifikator, the admin, the juror seated
on the award, the pimpinan; each role of another region (x…), a neighbouring regency of the same province;
and the admin and pimpinan of that province (p…), of another province (q…) and of the nation (n…), who
read the regions below theirs — never change them — and nothing of another province.
"""

import copy
import datetime
import re

import pytest
from django.contrib.auth.models import update_last_login
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from api.services import token_create
from innovasi.accounts.enums import OpdKind, RegionKind, Role
from innovasi.accounts.models import Notification, User
from innovasi.accounts.tokens import invitation_token_generator
from innovasi.standards.enums import DeadlineKind
from innovasi.standards.services import cycles
from reports.enums import ReportKind, ReportState, WorkbookImportState
from reports.models import Certificate, GeneratedReport, WorkbookImport
from reports.workbook.export import template_data
from reports.workbook.writer import workbook_bytes
from scoring.models import SpdEntry
from scoring.services import awards, index, spd, verification
from submissions import services
from submissions.enums import InnovationState

from .factories import CycleFactory, OpdFactory, RegionFactory, UserFactory, innovation_create
from .scoring.conftest import judge_all
from .submissions.conftest import MANDATORY, complete_profile, fill, pdf_upload

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anon", "opA", "opB", "kep", "ver", "ver2", "adm", "jur", "pim",
    "xop", "xkep", "xver", "xadm", "xjur", "xpim", "padm", "ppim", "qadm", "qpim", "nadm", "npim",
]  # fmt: skip
OUTSIDERS = ["xop", "xkep", "xver", "xadm", "xjur", "xpim", "qadm", "qpim"]

MATRIX = """
# URL name [object]                                     anon opA  opB  kep  ver  ver2 adm  jur  pim  xop  xkep xver xadm xjur xpim padm ppim qadm qpim nadm npim
# The portal's own pages
healthz                                           GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
healthz                                           POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
home                                              GET   200  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302
home                                              POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
set_language                                      GET   302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302
set_language                                      POST  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302
# Accounts: log-in, password, notifications
accounts:login                                    GET   200  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302
accounts:login                                    POST  200  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302
accounts:logout                                   GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:logout                                   POST  in   in   in   in   in   in   in   in   in   in   in   in   in   in   in   in   in   in   in   in   in
accounts:notification_open [notification]         GET   in   302  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
accounts:notification_open [notification]         POST  in   302  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
accounts:notifications                            GET   in   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
accounts:notifications                            POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:notifications_read_all                   GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:notifications_read_all                   POST  in   302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302
accounts:password_change                          GET   in   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
accounts:password_change                          POST  in   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
accounts:password_change_done                     GET   in   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
accounts:password_change_done                     POST  in   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:password_reset                           GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
accounts:password_reset                           POST  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
accounts:password_reset_complete                  GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
accounts:password_reset_complete                  POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:password_reset_confirm [reset]           GET   302  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
accounts:password_reset_confirm [reset]           POST  302  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
accounts:password_reset_done                      GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
accounts:password_reset_done                      POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:invitation [invitation]                  GET   302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302
accounts:invitation [invitation]                  POST  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302  302
# Accounts: a fresh installation's set-up (a superuser of no region: tests/innovasi/test_setup_region.py)
accounts:region_setup                             GET   in   403  403  403  403  403  403  403  403  403  403  403  403  403  403  403  403  403  403  403  403
accounts:region_setup                             POST  in   403  403  403  403  403  403  403  403  403  403  403  403  403  403  403  403  403  403  403  403
# Accounts: the admin's pages of the region's OPDs and users
accounts:opd_active [opd]                         GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:opd_active [opd]                         POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
accounts:opd_create                               GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:opd_create                               POST  in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:opd_detail [opd]                         GET   in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
accounts:opd_detail [opd]                         POST  in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
accounts:opd_import                               GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:opd_import                               POST  in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:opd_list                                 GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:opd_list                                 POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:user_active [member]                     GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:user_active [member]                     POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
accounts:user_detail [member]                     GET   in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
accounts:user_detail [member]                     POST  in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
accounts:user_import                              GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:user_import                              POST  in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:user_invite                              GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:user_invite                              POST  in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:user_link [member]                       GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:user_link [member]                       POST  in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
accounts:user_list                                GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:user_list                                POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
# The region's settings: its admin's (the empty form comes back with its errors; the region has no logo)
accounts:region_logo                              GET   in   403  403  403  403  403  404  403  403  403  403  403  404  403  403  404  403  404  403  404  403
accounts:region_logo                              POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
accounts:region_settings                          GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
accounts:region_settings                          POST  in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
# Cycles: the admin's pages (the region's cycle; an extension of OPD B's filing deadline)
standards:cycle [cycle]                           GET   in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
standards:cycle [cycle]                           POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
standards:cycle_create                            GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
standards:cycle_create                            POST  in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
standards:cycle_edit [cycle]                      GET   in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
standards:cycle_edit [cycle]                      POST  in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
standards:cycle_transition [cycle]                GET   in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
standards:cycle_transition [cycle]                POST  in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
standards:cycles                                  GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
standards:cycles                                  POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
standards:extension_remove [extension]            GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
standards:extension_remove [extension]            POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
standards:extension_save [cycle]                  GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
standards:extension_save [cycle]                  POST  in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
# Innovations: the OPD's filing (objects of OPD A: a draft, a submitted one, a verified one)
submissions:claim_answer [returned_row]           GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:claim_answer [returned_row]           POST  in   302  404  403  403  403  403  404  403  404  404  404  404  404  404  404  404  404  404  404  404
submissions:claim_save [claim]                    GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:claim_save [claim]                    POST  in   302  404  403  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:copy                                  GET   in   200  200  403  403  403  403  403  403  200  403  403  403  403  403  403  403  403  403  403  403
submissions:copy                                  POST  in   200  200  403  403  403  403  403  403  200  403  403  403  403  403  403  403  403  403  403  403
submissions:create                                GET   in   200  200  403  403  403  403  403  403  200  403  403  403  403  403  403  403  403  403  403  403
submissions:create                                POST  in   200  200  403  403  403  403  403  403  200  403  403  403  403  403  403  403  403  403  403  403
submissions:detail [draft]                        GET   in   200  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:detail [draft]                        POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:detail [submitted]                    GET   in   200  404  200  200  200  200  404  200  404  404  404  404  404  404  404  404  404  404  404  404
submissions:detail [submitted]                    POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:detail [awaiting]                     GET   in   200  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:detail [awaiting]                     POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:document_download [document]          GET   in   200  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:document_download [document]          POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:document_put [document]               GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:document_put [document]               POST  in   302  404  403  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:document_remove [document]            GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:document_remove [document]            POST  in   302  404  403  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:edit [draft]                          GET   in   200  404  403  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:edit [draft]                          POST  in   200  404  403  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:edit [submitted]                      GET   in   403  404  403  403  403  403  404  403  404  404  404  404  404  404  404  404  404  404  404  404
submissions:edit [submitted]                      POST  in   403  404  403  403  403  403  404  403  404  404  404  404  404  404  404  404  404  404  404  404
submissions:endorse [awaiting]                    GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:endorse [awaiting]                    POST  in   403  404  302  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:endorsements                          GET   in   403  403  200  403  403  403  403  403  403  200  403  403  403  403  403  403  403  403  403  403
submissions:endorsements                          POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:evidence_add [claim]                  GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:evidence_add [claim]                  POST  in   302  404  403  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:evidence_download [evidence]          GET   in   200  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:evidence_download [evidence]          POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:evidence_preview [evidence]           GET   in   200  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:evidence_preview [evidence]           POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:evidence_remove [evidence]            GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:evidence_remove [evidence]            POST  in   302  404  403  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
submissions:guide [catalogue]                     GET   in   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
submissions:guide [catalogue]                     POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:list                                  GET   in   200  200  200  200  200  200  403  200  200  200  200  200  403  200  200  200  200  200  200  200
submissions:list                                  POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:publish [verified]                    GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:publish [verified]                    POST  in   403  404  403  403  403  302  404  403  404  404  404  404  404  404  404  404  404  404  404  404
submissions:submit [draft]                        GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
submissions:submit [draft]                        POST  in   302  404  403  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
# Verification, the index, SPD rows, awards and juries
scoring:assignments                               GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
scoring:assignments                               POST  in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
scoring:award [scheme]                            GET   in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:award [scheme]                            POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:award_conflicts_change [seat]             GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:award_conflicts_change [seat]             POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:award_finalise [scheme]                   GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:award_finalise [scheme]                   POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:award_jury_assign [scheme]                GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:award_jury_assign [scheme]                POST  in   403  403  403  403  403  400  403  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:award_nominate [scheme]                   GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:award_nominate [scheme]                   POST  in   403  403  403  403  403  400  403  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:award_nomination_remove [nomination]      GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:award_nomination_remove [nomination]      POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:award_settings [scheme]                   GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:award_settings [scheme]                   POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:entry_scheme [province_scheme]            GET   in   403  403  403  403  403  200  403  200  403  403  403  200  403  200  404  404  404  404  404  404
scoring:entry_scheme [province_scheme]            POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:entry_schemes                             GET   in   403  403  403  403  403  200  403  200  403  403  403  200  403  200  403  403  403  403  403  403
scoring:entry_schemes                             POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:entry_submit [province_scheme]            GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:entry_submit [province_scheme]            POST  in   403  403  403  403  403  400  403  403  403  403  403  400  403  403  404  404  404  404  404  404
scoring:entry_withdraw [province_entry]           GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:entry_withdraw [province_entry]           POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:awards                                    GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
scoring:awards                                    POST  in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
scoring:index                                     GET   in   403  403  403  200  200  200  403  200  403  403  200  200  403  200  200  200  302  302  302  302
scoring:index                                     POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:innovation_panel [draft]                  GET   in   200  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
scoring:innovation_panel [draft]                  POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:innovation_panel [submitted]              GET   in   200  404  200  200  200  200  404  200  404  404  404  404  404  404  404  404  404  404  404  404
scoring:innovation_panel [submitted]              POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:row_verdicts [submitted]                  GET   in   200  404  200  200  200  200  404  200  404  404  404  404  404  404  404  404  404  404  404  404
scoring:row_verdicts [submitted]                  POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:innovation_verdicts [draft]               GET   in   200  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
scoring:innovation_verdicts [draft]               POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:innovation_verdicts [submitted]           GET   in   200  404  200  200  200  200  404  200  404  404  404  404  404  404  404  404  404  404  404  404
scoring:innovation_verdicts [submitted]           POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:jury_declare [seat]                       GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:jury_declare [seat]                       POST  in   404  404  404  404  404  404  302  404  404  404  404  404  404  404  404  404  404  404  404  404
scoring:jury_home                                 GET   in   403  403  403  403  403  403  200  403  403  403  403  403  200  403  403  403  403  403  403  403
scoring:jury_home                                 POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:jury_score [score]                        GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:jury_score [score]                        POST  in   404  404  404  404  404  404  302  404  404  404  404  404  404  404  404  404  404  404  404  404
scoring:jury_sheet [seat]                         GET   in   404  404  404  404  404  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404
scoring:jury_sheet [seat]                         POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:jury_submit [seat]                        GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:jury_submit [seat]                        POST  in   404  404  404  404  404  404  302  404  404  404  404  404  404  404  404  404  404  404  404  404
scoring:queue                                     GET   in   403  403  403  200  200  200  403  403  403  403  200  200  403  403  200  403  200  403  200  403
scoring:queue                                     POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:reassign [submitted]                      GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:reassign [submitted]                      POST  in   403  404  403  403  403  302  404  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:snapshot [snapshot]                       GET   in   404  404  404  200  200  200  404  200  404  404  404  404  404  404  404  404  404  404  404  404
scoring:snapshot [snapshot]                       POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:spd                                       GET   in   403  403  403  200  200  200  403  200  403  403  200  200  403  200  200  200  302  302  302  302
scoring:spd                                       POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:spd_accept [entry]                        GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:spd_accept [entry]                        POST  in   404  404  404  302  302  403  404  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:spd_evidence_download [spd_evidence]      GET   in   404  404  404  200  200  200  404  200  404  404  404  404  404  404  404  404  404  404  404  404
scoring:spd_evidence_download [spd_evidence]      POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:spd_evidence_remove [spd_evidence]        GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:spd_evidence_remove [spd_evidence]        POST  in   404  404  404  403  403  302  404  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:spd_save [entry]                          GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:spd_save [entry]                          POST  in   404  404  404  403  403  302  404  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:spd_upload [entry]                        GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:spd_upload [entry]                        POST  in   404  404  404  403  403  302  404  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:verdict_save [verdict]                    GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:verdict_save [verdict]                    POST  in   403  404  403  302  403  302  404  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:verify [submitted]                        GET   in   403  404  403  200  403  200  404  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:verify [submitted]                        POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:verify_finish [submitted]                 GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
scoring:verify_finish [submitted]                 POST  in   403  404  403  302  403  302  404  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:verify_progress [submitted]               GET   in   403  404  403  200  403  200  404  403  404  404  404  404  404  404  404  404  404  404  404  404
scoring:verify_progress [submitted]               POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
# Documents, the dashboard, monitoring and the public pages
reports:certificate_find                          GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
reports:certificate_find                          POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:certificate [certificate]                 GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
reports:certificate [certificate]                 POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
# Issuing certificates: the region has no signatory (the issue is refused), the scheme is not final yet
reports:certificates [cycle]                      GET   in   403  403  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
reports:certificates [cycle]                      POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:certificates_issue [cycle]                GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:certificates_issue [cycle]                POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
reports:award_certificates [scheme]               GET   in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
reports:award_certificates [scheme]               POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:award_certificates_issue [scheme]         GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:award_certificates_issue [scheme]         POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
reports:dashboard                                 GET   in   403  403  403  403  403  200  403  200  403  403  403  200  403  200  200  200  200  200  200  200
reports:dashboard                                 POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:dashboard_opd [opd]                       GET   in   403  403  403  403  403  200  403  200  404  404  404  404  404  404  404  404  404  404  404  404
reports:dashboard_opd [opd]                       POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:download [report]                         GET   in   404  404  404  404  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404
reports:download [report]                         POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:gallery                                   GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
reports:gallery                                   POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:gallery_innovation [verified]             GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
reports:gallery_innovation [verified]             POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:list                                      GET   in   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
reports:list                                      POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:monitoring                                GET   in   403  403  403  403  403  200  403  403  403  403  403  200  403  403  200  403  200  403  200  403
reports:monitoring                                POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
# The national upload package of the cycle: OPD A's (posted); the region's is tests/reports/test_package.py's
reports:national_package [cycle]                  GET   in   200  200  403  200  200  200  403  200  404  404  404  404  404  404  404  404  404  404  404  404
reports:national_package [cycle]                  POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:national_package_build [cycle]            GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:national_package_build [cycle]            POST  in   302  403  403  302  302  302  403  302  404  404  404  404  404  404  404  404  404  404  404  404
reports:remind [opd]                              GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:remind [opd]                              POST  in   403  403  403  403  403  302  403  403  404  404  404  404  404  404  404  404  404  404  404  404
reports:request                                   GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:request                                   POST  in   403  403  403  302  302  302  403  302  403  403  404  404  403  404  404  404  404  404  404  404
reports:retry [report]                            GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:retry [report]                            POST  in   404  404  404  404  404  302  404  404  404  404  404  404  404  404  404  404  404  404  404  404
reports:status [report]                           GET   in   404  404  404  404  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404
reports:status [report]                           POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
# The cycle workbook: its template and import for the admin and the operators; an upload is its uploader's
# (the admin's here: a clean preview, confirmed by a POST)
reports:workbook_import [cycle]                   GET   in   200  200  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
reports:workbook_import [cycle]                   POST  in   200  200  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
reports:workbook_template [cycle]                 GET   in   200  200  403  403  403  200  403  403  404  404  404  404  404  404  404  404  404  404  404  404
reports:workbook_template [cycle]                 POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:workbook_upload [workbook_upload]         GET   in   404  404  404  404  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404
reports:workbook_upload [workbook_upload]         POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:workbook_upload_confirm [workbook_upload] GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:workbook_upload_confirm [workbook_upload] POST  in   404  404  404  404  404  302  404  404  404  404  404  404  404  404  404  404  404  404  404  404
# The view from above: the ranking of the regions below, a region's dashboard read from above (province P
# holds both regencies; Q is another province; N the nation over both)
reports:ranking                                   GET   in   403  403  403  403  403  403  403  403  403  403  403  403  403  403  200  200  200  200  200  200
reports:ranking                                   POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
reports:region_dashboard [region]                 GET   in   403  403  403  403  403  302  403  302  404  404  404  404  404  404  200  200  404  404  200  200
reports:region_dashboard [region]                 POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
# The API (/api/v1/): each persona sends its own token (Authorization: Bearer), anonymous none (401)
api:api-root                                      GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
api:api-root                                      POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
api:openapi-json                                  GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
api:openapi-json                                  POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
api:regions                                       GET   401  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
api:regions                                       POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
api:region_cycles [region]                        GET   401  200  200  200  200  200  200  200  200  404  404  404  404  404  404  404  404  404  404  404  404
api:region_cycles [region]                        POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
api:cycle_index [cycle]                           GET   401  403  403  403  200  200  200  403  200  404  404  404  404  404  404  404  404  404  404  404  404
api:cycle_index [cycle]                           POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
api:cycle_innovations [cycle]                     GET   401  200  200  200  200  200  200  403  200  404  404  404  404  404  404  404  404  404  404  404  404
api:cycle_innovations [cycle]                     POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
api:innovation [draft]                            GET   401  200  404  200  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
api:innovation [draft]                            POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
api:innovation [submitted]                        GET   401  200  404  200  200  200  200  404  200  404  404  404  404  404  404  404  404  404  404  404  404
api:innovation [submitted]                        POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
api:gallery                                       GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
api:gallery                                       POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
api:gallery_csv                                   GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
api:gallery_csv                                   POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
api:gallery_innovation [verified]                 GET   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
api:gallery_innovation [verified]                 POST  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
# The account's API tokens (a token of operator A; the empty form comes back with its error)
tokens:list                                       GET   in   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
tokens:list                                       POST  in   200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200  200
tokens:revoke [token]                             GET   405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405  405
tokens:revoke [token]                             POST  in   302  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404  404
"""


def _urls(patterns=None, namespace=None):
    """(name, view) of every named URL of the portal (the Django admin's own are tested with the admin)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _urls(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def _parse(text):
    table = {}
    for line in text.strip().splitlines():
        if line.startswith("#"):
            continue
        match = re.match(r"^(\S+)(?: \[(\w+)\])?\s+(GET|POST)\s+(.*)$", line)
        name, variant, method, cells = match.groups()
        outcomes = cells.split()
        assert len(outcomes) == len(PERSONAS), line
        table[(name, variant or "", method)] = dict(zip(PERSONAS, outcomes, strict=True))
    return table


EXPECTED = _parse(MATRIX)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Two regions with every kind of object the URLs name, built once for the module inside a
    transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = _build()
            world["clients"] = _logged_in(world["users"], world["bearers"])
            # As before any test's first log-in: a reset link made for a user who has not logged in since
            # holds until the user logs in (the last log-in is part of its token).
            User.objects.filter(pk__in=[user.pk for user in world["users"].values()]).update(last_login=None)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _logged_in(users, bearers):
    """(client, its cookies) per persona, logged in once for the module: a log-in (a new session, the
    lock-out records) costs more than most pages, and every row asks all thirteen personas. The cookies
    are put back before each request, whose writes are rolled back, so that each request finds the
    persona just logged in, as a client of its own would. Every request also carries the persona's API
    token (``bearers``), which the API reads and the pages ignore."""
    clients = {}
    for persona in PERSONAS:
        client = Client(**bearers.get(persona, {}))
        if persona != "anon":
            client.force_login(users[persona])
        clients[persona] = (client, copy.deepcopy(client.cookies))
    return clients


def _build():
    nation = RegionFactory(name="Indonesia", kind=RegionKind.NASIONAL, code="ID")
    province = RegionFactory(name="Provinsi Jawa Uji", kind=RegionKind.PROVINSI, code="35", parent=nation)
    other_province = RegionFactory(name="Provinsi Lain", kind=RegionKind.PROVINSI, code="36", parent=nation)
    region = RegionFactory(name="Kabupaten Uji", code="35.99", parent=province)
    other = RegionFactory(name="Kota Lain", code="35.98", parent=province)  # a kabupaten, for all its name
    opd_a = OpdFactory(region=region, name="Dinas Kesehatan", short_name="Dinkes")
    opd_b = OpdFactory(region=region, name="Dinas Pendidikan", short_name="Dispendik")
    bappeda = OpdFactory(region=region, name="Bappeda", short_name="Bappeda", kind=OpdKind.BADAN)
    users = {
        "opA": UserFactory(username="operator.a", region=region, role=Role.OPERATOR, opd=opd_a),
        "opB": UserFactory(username="operator.b", region=region, role=Role.OPERATOR, opd=opd_b),
        "kep": UserFactory(username="kepala.a", region=region, role=Role.KEPALA_OPD, opd=opd_a),
        "ver": UserFactory(username="verifikator", region=region, role=Role.VERIFIKATOR, opd=bappeda),
        "ver2": UserFactory(username="verifikator2", region=region, role=Role.VERIFIKATOR, opd=bappeda),
        "adm": UserFactory(username="admin", region=region, role=Role.ADMIN, opd=bappeda, is_staff=True),
        "jur": UserFactory(username="juri", region=region, role=Role.JURI, opd=None),
        "pim": UserFactory(username="bupati", region=region, role=Role.PIMPINAN, opd=None),
        "xop": UserFactory(username="x.operator", region=other, role=Role.OPERATOR),
        "xkep": UserFactory(
            username="x.kepala", region=other, role=Role.KEPALA_OPD, opd=OpdFactory(region=other)
        ),
        "xver": UserFactory(username="x.verifikator", region=other, role=Role.VERIFIKATOR, opd=None),
        "xadm": UserFactory(username="x.admin", region=other, role=Role.ADMIN, opd=None, is_staff=True),
        "xjur": UserFactory(username="x.juri", region=other, role=Role.JURI, opd=None),
        "xpim": UserFactory(username="x.bupati", region=other, role=Role.PIMPINAN, opd=None),
        "padm": UserFactory(
            username="admin.jatim", region=province, role=Role.ADMIN, opd=None, is_staff=True
        ),
        "ppim": UserFactory(username="gubernur", region=province, role=Role.PIMPINAN, opd=None),
        "qadm": UserFactory(
            username="q.admin", region=other_province, role=Role.ADMIN, opd=None, is_staff=True
        ),
        "qpim": UserFactory(username="q.gubernur", region=other_province, role=Role.PIMPINAN, opd=None),
        "nadm": UserFactory(
            username="admin.nasional", region=nation, role=Role.ADMIN, opd=None, is_staff=True
        ),
        "npim": UserFactory(username="menteri", region=nation, role=Role.PIMPINAN, opd=None),
    }
    cycle = CycleFactory(region=region)
    CycleFactory(region=other)
    province_cycle = CycleFactory(region=province)  # a province is a pemda too: its own OPDs' cycle
    operator, admin, verifikator = users["opA"], users["adm"], users["ver"]

    draft = innovation_create(cycle, opd_a, operator, name="Posyandu Digital", **complete_profile())
    fill(draft, operator, {"SID-16": 2})
    services.document_put(innovation=draft, kind="anggaran", user=operator, uploaded=pdf_upload("rab.pdf"))

    def submitted_one(name):
        innovation = innovation_create(cycle, opd_a, operator, name=name, **complete_profile())
        fill(innovation, operator, dict.fromkeys(MANDATORY, 2))
        services.innovation_transition(
            innovation=innovation, user=operator, to_state=InnovationState.DIAJUKAN
        )
        verification.assignment_set(innovation=innovation, verifikator=verifikator, by=admin)
        return innovation

    submitted = submitted_one("Ambulans Desa")
    returned = submitted_one("Rumah Singgah")
    judge_all(returned, verifikator, **{"SID-17": {"verdict": "tidak_sesuai", "reason": "SK lama"}})
    verification.verification_finish(innovation=returned, user=verifikator, action="return")
    verified = submitted_one("Sekolah Literasi")
    judge_all(verified, verifikator)
    verification.verification_finish(innovation=verified, user=verifikator, action="verify")
    services.innovation_publish(innovation=verified, user=admin, published=True)
    verified.refresh_from_db()

    # The region asks for the OPD head's endorsement from here on: one submission of OPD A waits for its head.
    region.opd_endorsement = True
    region.save(update_fields=["opd_endorsement"])
    awaiting = innovation_create(cycle, opd_a, operator, name="Rumah Tunggu", **complete_profile())
    fill(awaiting, operator, dict.fromkeys(MANDATORY, 2))
    services.innovation_transition(
        innovation=awaiting, user=operator, to_state=InnovationState.MENUNGGU_PENGESAHAN
    )

    entry = SpdEntry.objects.filter(cycle=cycle).select_related("cycle", "indicator").first()
    spd_evidence = spd.spd_evidence_add(entry=entry, user=admin, uploaded=pdf_upload("spd.pdf"))
    index.cycle_recompute(cycle_id=cycle.pk)

    scheme = awards.scheme_from_preset(cycle=cycle, preset="presentasi")
    category = scheme.categories.get()
    nomination = awards.nominate(category=category, innovation=verified, by=admin)
    seat = awards.jury_assign(category=category, juror=users["jur"])
    awards.conflicts_declare(member=seat, opds=[], note="")
    # The province's Inotek Award, open to its kabupaten/kota: the region has entered its verified one.
    province_scheme = awards.scheme_from_preset(cycle=province_cycle, preset="inotek_provinsi")
    province_entry = awards.entry_submit(
        category=province_scheme.categories.first(), innovation=verified, by=admin
    )

    report = GeneratedReport.objects.create(
        kind=ReportKind.CYCLE_PDF,
        params={"cycle_id": cycle.pk},
        region=region,
        requested_by=admin,
        title="Laporan",
        state=ReportState.DONE,
    )
    report.file.save("laporan.pdf", ContentFile(b"%PDF-1.4 uji"), save=True)
    certificate = Certificate.objects.create(
        region=region,
        cycle=cycle,
        innovation=verified,
        award="Inovasi Daerah Terverifikasi",
        holder_opd=opd_a.name,
        holder_innovation=verified.name,
        year=2026,
        signatory_name="Bupati",
        signatory_title="Bupati Uji",
        region_name=region.name,
    )
    notification = Notification.objects.create(user=operator, key="uji", title="Uji", url="/inovasi/")
    upload = WorkbookImport(
        region=region,
        cycle=cycle,
        requested_by=admin,
        workbook_name="templat.xlsx",
        state=WorkbookImportState.READY,
        checked_at=datetime.datetime.now(datetime.UTC),
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
        summary={"counts": {}, "innovations": [], "spd": []},
    )
    upload.workbook.save("templat.xlsx", ContentFile(workbook_bytes(template_data(cycle=cycle))), save=False)
    upload.save()
    # Each persona's API token: the API's rows are walked with them.
    tokens = {persona: token_create(user=user, name="Uji") for persona, user in users.items()}
    bearers = {persona: {"HTTP_AUTHORIZATION": f"Bearer {raw}"} for persona, (_t, raw) in tokens.items()}
    # Invited, not yet in: nobody of the matrix logs in as them, so their link stays valid throughout.
    invited = UserFactory(username="diundang", region=region, role=Role.JURI, opd=None)
    invited.set_unusable_password()
    invited.save()
    extension = cycles.extension_save(
        cycle=cycle,
        opd=opd_b,
        kind=DeadlineKind.FILING,
        closes_on=cycle.filing_closes_on + datetime.timedelta(days=7),
        reason="Menunggu SK Bupati",
        user=admin,
    )
    cycle.refresh_from_db()
    evidence = draft.claims.get(indicator__code="SID-16").evidence.get()
    snapshot = cycle.snapshots.order_by("pk").first()
    kwargs = {
        "draft": {"pk": draft.pk},
        "submitted": {"pk": submitted.pk},
        "verified": {"pk": verified.pk},
        "awaiting": {"pk": awaiting.pk},
        "claim": {"pk": draft.pk, "claim_pk": draft.claims.get(indicator__code="SID-16").pk},
        "returned_row": {"pk": returned.pk, "claim_pk": returned.claims.get(indicator__code="SID-17").pk},
        "verdict": {"pk": submitted.pk, "claim_pk": submitted.claims.get(indicator__code="SID-16").pk},
        "evidence": {"pk": draft.pk, "evidence_pk": evidence.pk},
        "document": {"pk": draft.pk, "kind": "anggaran"},
        "snapshot": {"pk": snapshot.pk},
        "cycle": {"pk": cycle.pk},
        "entry": {"pk": entry.pk},
        "spd_evidence": {"pk": spd_evidence.pk},
        "scheme": {"pk": scheme.pk},
        "province_scheme": {"pk": province_scheme.pk},
        "province_entry": {"pk": province_entry.pk},
        "nomination": {"pk": nomination.pk},
        "seat": {"pk": seat.pk},
        "score": {"pk": seat.pk, "nomination_pk": nomination.pk},
        "report": {"pk": report.pk},
        "certificate": {"code": certificate.code},
        "opd": {"pk": opd_a.pk},
        "catalogue": {"code": cycle.catalogue.code},
        "notification": {"pk": notification.pk},
        "workbook_upload": {"pk": upload.pk},
        "extension": {"pk": cycle.pk, "extension_pk": extension.pk},
        "reset": {
            "uidb64": urlsafe_base64_encode(force_bytes(operator.pk)),
            "token": default_token_generator.make_token(operator),
        },
        "member": {"pk": operator.pk},
        "region": {"pk": region.pk},
        "token": {"pk": tokens["opA"][0].pk},
        "invitation": {
            "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
            "token": invitation_token_generator.make_token(invited),
        },
        "": {},
    }
    posts = {
        "reports:request": {"kind": ReportKind.CYCLE_PDF, "cycle": cycle.pk},
        "reports:national_package_build": {"opd": opd_a.pk},
        "set_language": {"language": "en", "next": "/"},
        "accounts:opd_active": {"aktif": "1"},
        "accounts:user_active": {"aktif": "1"},
        "submissions:endorse": {"action": "endorse"},
    }
    return {
        "users": users,
        "bearers": bearers,
        "kwargs": kwargs,
        "posts": posts,
        "today": datetime.date.today(),
        "cycle": cycle,
        "regions": {"nation": nation, "province": province, "other_province": other_province},
    }


class _Writes:
    """The writes a request makes, but to the session and the lock-out records (a log-in's own)."""

    IGNORED = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM) "?(?:django_session|axes_)', re.IGNORECASE)
    WRITE = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        if self.WRITE.match(sql) and not self.IGNORED.match(sql):
            self.statements.append(sql[:120])
        return execute(sql, params, many, context)


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return "in"
    return str(response.status_code)


def _walk(world, name, variant, method):
    url = reverse(name, kwargs=world["kwargs"][variant])
    data = world["posts"].get(name, {}) if method == "POST" else {}
    observed, writes = {}, {}
    for persona in PERSONAS:
        client, cookies = world["clients"][persona]
        client.cookies = copy.deepcopy(cookies)
        if persona != "anon":
            # What the log-in does to the user's row, in the test's transaction as a log-in here did.
            update_last_login(None, world["users"][persona])
        recorder = _Writes()
        with transaction.atomic(), connection.execute_wrapper(recorder):
            response = client.get(url) if method == "GET" else client.post(url, data)
            transaction.set_rollback(True)
        observed[persona] = _outcome(response)
        writes[persona] = recorder.statements
    return observed, writes


ROWS = sorted(EXPECTED)
PUBLIC = {name: getattr(view, "permission", "") is None for name, view in _urls()}


def test_every_url_has_rows_in_the_matrix():
    named = {name for name, _view in _urls()}
    in_matrix = {name for name, _variant, _method in EXPECTED}

    assert named - in_matrix == set(), "URLs without a row in MATRIX"
    assert in_matrix - named == set(), "rows naming no URL"


def test_every_view_declares_its_permission():
    undeclared = sorted(name for name, view in _urls() if not hasattr(view, "permission"))

    assert undeclared == []


def test_a_province_sees_nothing_of_another_province_nor_a_regency_of_another_regency(world):
    """Every object of Kabupaten Uji is hidden (404) from the other province (q…) and from the neighbouring
    regency (x…); their pages name it nowhere but on the neighbour's dashboard, in its rank among the
    regencies of the province, with the published figures only (the IID and category); the province above
    both reads it."""
    hidden = ("qadm", "qpim", "xop", "xver", "xadm", "xjur", "xpim")
    for (name, variant, _method), row in EXPECTED.items():
        # A catalogue is national data, every region's, and the province's scheme open to its regencies
        # is the province's, each regency's page of it listing only its own entries: not objects of
        # Kabupaten Uji.
        if variant and variant not in ("catalogue", "province_scheme") and PUBLIC.get(name) is not True:
            assert {row[persona] for persona in hidden} <= {"404", "405"}, name

    def page(persona, url):
        client, cookies = world["clients"][persona]
        client.cookies = copy.deepcopy(cookies)
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        return response.content.decode()

    other_province = page("qadm", reverse("reports:ranking"))
    province = page("padm", reverse("reports:ranking"))
    nation = page("npim", reverse("reports:ranking"))
    neighbour = page("xpim", reverse("reports:dashboard"))
    verified = world["cycle"].snapshots.filter(kind="verified").order_by("-computed_at").first()

    assert "Kabupaten Uji" not in other_province
    assert "Kota Lain" not in other_province
    assert "Kabupaten Uji" in province
    assert "Kota Lain" in province
    assert "Kabupaten Uji" in nation
    assert "Provinsi Lain" in nation
    before, section, after = neighbour.partition('data-testid="neighbours"')
    assert "Kabupaten Uji" not in before
    assert "Kabupaten Uji" not in after.split("</section>", 1)[1]
    section = after.split("</section>", 1)[0]
    row = next(line for line in section.split("<tr") if "Kabupaten Uji" in line)
    assert row.count("<td") == 4  # rank, name, IID, category: nothing else of it
    assert f"{verified.iid:.2f}".replace(".", ",") in row
    assert verified.category in row


@pytest.mark.parametrize(("name", "variant", "method"), ROWS)
def test_matrix(world, name, variant, method):
    observed, writes = _walk(world, name, variant, method)

    assert observed == EXPECTED[(name, variant, method)]
    refused = {persona for persona, outcome in observed.items() if outcome not in ("200", "302")}
    unexpected = {
        persona: statements
        for persona, statements in writes.items()
        if statements and (method == "GET" or persona in refused)
    }
    assert unexpected == {}, "a GET or a refused request wrote"
    # An object of the first region: outsiders cannot tell it exists. But for a link anyone may follow
    # (a public view: an invitation's set-password link), which is for whoever holds it.
    # The province's scheme open to its regencies is the neighbouring regency's to see as well.
    if variant and variant != "province_scheme" and PUBLIC.get(name) is not True:
        assert {observed[persona] for persona in OUTSIDERS} <= {"404", "405", "200"}
