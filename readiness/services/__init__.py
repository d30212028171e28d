"""Write use cases. Each takes a session, writes its audit event, and never commits."""
