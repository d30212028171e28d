"""A deterministic synthetic laser-clinic practice for demos, screens and benchmarks."""

from readiness.demo.build import DemoReport, build_demo, run_demo

__all__ = ["DemoReport", "build_demo", "run_demo"]
