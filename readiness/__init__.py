"""Readiness: equipment and emergency-readiness compliance for laser med spas."""

__version__ = "0.1.0"
