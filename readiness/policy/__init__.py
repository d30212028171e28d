"""The policy pack, checklist templates and answers, loaded from strict YAML."""
