"""The web modeler's service functions: validate, draft, deploy, versions and diffs.

Every function takes the acting user and checks the role itself, so any route (web page, JSON
endpoint, integrator API) that calls one refuses non-analysts the same way.
"""

from service.modeler import checks, decisions, drafts, versions
from service.modeler.access import may_model, require_analyst, require_reader

__all__ = ["checks", "decisions", "drafts", "may_model", "require_analyst", "require_reader", "versions"]
