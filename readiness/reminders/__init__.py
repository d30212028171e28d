"""The reminder worker: plan, facts, steps, outbox, delivery, lease, scheduler."""
