"""Subcommands that belong to one capability each; `readiness.cli` registers them."""
