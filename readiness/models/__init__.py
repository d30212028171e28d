"""Typed SQLAlchemy models of every record Readiness keeps."""

from readiness.models.asset import (
    ASSET_KINDS,
    ASSET_STATUSES,
    LASER_KINDS,
    SERVICE_KINDS,
    Asset,
    AssetStatusChange,
    ServiceEvent,
)
from readiness.models.audit_event import AuditEvent
from readiness.models.base import Base, EvidenceMixin, UTCDateTime
from readiness.models.checklist import ChecklistResponse, ChecklistRun, ChecklistTemplateVersion
from readiness.models.corrective_action import CA_SOURCES, CorrectiveAction
from readiness.models.document import SiteDocument
from readiness.models.drill import Drill, DrillParticipant
from readiness.models.history import SiteOpenDays, StaffRoleChange, StockLocationChange
from readiness.models.incident import INCIDENT_TYPES, SEVERITIES, Incident, IncidentFollowup
from readiness.models.outbox import Heartbeat, OutboxMessage, SchedulerLease
from readiness.models.plan_acknowledgement import PlanAcknowledgement
from readiness.models.practice_setting import PracticeSetting
from readiness.models.sign_in_session import SignInSession
from readiness.models.site import EVERY_DAY, PROCEDURES, Site
from readiness.models.site_contact import (
    EMERGENCY_DUTIES,
    EMERGENCY_SCENARIOS,
    EmergencyRole,
    SiteContacts,
)
from readiness.models.snapshot import ReadinessSnapshot
from readiness.models.staff import STAFF_ROLES, Certification, Staff, StaffAssignment, works_at
from readiness.models.stock import MOVEMENT_KINDS, MOVEMENT_SIGN, StockLot, StockMovement
from readiness.models.user import USER_ROLES, User

__all__ = [
    "ASSET_KINDS",
    "ASSET_STATUSES",
    "CA_SOURCES",
    "EMERGENCY_DUTIES",
    "EMERGENCY_SCENARIOS",
    "EVERY_DAY",
    "INCIDENT_TYPES",
    "LASER_KINDS",
    "MOVEMENT_KINDS",
    "MOVEMENT_SIGN",
    "PROCEDURES",
    "SERVICE_KINDS",
    "SEVERITIES",
    "STAFF_ROLES",
    "USER_ROLES",
    "Asset",
    "AssetStatusChange",
    "AuditEvent",
    "Base",
    "Certification",
    "ChecklistResponse",
    "ChecklistRun",
    "ChecklistTemplateVersion",
    "CorrectiveAction",
    "Drill",
    "DrillParticipant",
    "EmergencyRole",
    "EvidenceMixin",
    "Heartbeat",
    "Incident",
    "IncidentFollowup",
    "OutboxMessage",
    "PlanAcknowledgement",
    "PracticeSetting",
    "ReadinessSnapshot",
    "SchedulerLease",
    "ServiceEvent",
    "SignInSession",
    "Site",
    "SiteContacts",
    "SiteDocument",
    "SiteOpenDays",
    "Staff",
    "StaffAssignment",
    "StaffRoleChange",
    "StockLocationChange",
    "StockLot",
    "StockMovement",
    "UTCDateTime",
    "User",
    "works_at",
]
