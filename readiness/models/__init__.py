"""Typed SQLAlchemy models of every record Readiness keeps."""

from readiness.models.asset import ASSET_KINDS, ASSET_STATUSES, SERVICE_KINDS, Asset, ServiceEvent
from readiness.models.audit_event import AuditEvent
from readiness.models.base import Base, EvidenceMixin, UTCDateTime
from readiness.models.checklist import ChecklistResponse, ChecklistRun, ChecklistTemplateVersion
from readiness.models.corrective_action import CA_SOURCES, CorrectiveAction
from readiness.models.document import SiteDocument
from readiness.models.drill import Drill, DrillParticipant
from readiness.models.incident import INCIDENT_TYPES, SEVERITIES, Incident, IncidentFollowup
from readiness.models.outbox import Heartbeat, OutboxMessage, SchedulerLease
from readiness.models.site import EVERY_DAY, Site
from readiness.models.staff import STAFF_ROLES, Certification, Staff
from readiness.models.stock import StockLot
from readiness.models.user import USER_ROLES, User

__all__ = [
    "ASSET_KINDS",
    "ASSET_STATUSES",
    "CA_SOURCES",
    "EVERY_DAY",
    "INCIDENT_TYPES",
    "SERVICE_KINDS",
    "SEVERITIES",
    "STAFF_ROLES",
    "USER_ROLES",
    "Asset",
    "AuditEvent",
    "Base",
    "Certification",
    "ChecklistResponse",
    "ChecklistRun",
    "ChecklistTemplateVersion",
    "CorrectiveAction",
    "Drill",
    "DrillParticipant",
    "EvidenceMixin",
    "Heartbeat",
    "Incident",
    "IncidentFollowup",
    "OutboxMessage",
    "SchedulerLease",
    "ServiceEvent",
    "Site",
    "SiteDocument",
    "Staff",
    "StockLot",
    "UTCDateTime",
    "User",
]
