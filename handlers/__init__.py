"""Service-task handlers: plain Python over ports; no Flask, SQLAlchemy or SpiffWorkflow here."""
