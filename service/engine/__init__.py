"""Everything that touches SpiffWorkflow: parsing, validation, script policy, running, state.

Only this package imports SpiffWorkflow. Its values (``service.engine.values``) are plain data
and load nothing heavy; ``service.engine.runtime.Engine`` runs workflows.
"""
