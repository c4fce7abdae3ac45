"""The web modeler for analysts (and case migration for supervisors): pages of the blueprint.

Routes parse the request, call one ``service.modeler`` / ``service.actions.migration`` function and
render. The JSON endpoints the editor page calls are in ``modeler_json``.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException

from service.actions import migration
from service.errors import FieldError, InvalidData, ServiceError
from service.identity.actors import Actor
from service.identity.tokens import Unauthenticated
from service.modeler import decisions, drafts, require_analyst, versions
from service.services import Services
from service.views import migration as migration_views
from service.web import boundary, security
from service.web.identity import signed_in_user

bp = Blueprint("modeler", __name__, url_prefix="/modeler", template_folder="templates")
CSRF_HEADER = "X-CSRF-Token"
SUPERVISOR_ENDPOINTS = frozenset(
    {"modeler.migration_index", "modeler.migration_page", "modeler.migration_check", "modeler.migrate"}
)


def services() -> Services:
    found: Services = current_app.extensions["rcp"]
    return found


def actor() -> Actor:
    found: Actor = g.modeler_actor
    return found


def wants_json() -> bool:
    return request.path.startswith("/modeler/api/")


def _signed_in() -> Actor | None:
    found = signed_in_user(services())
    if found is None:
        return None
    g.user = found  # the base template shows who is signed in
    return found.actor()


@bp.before_request
def _authenticate() -> Any:
    found = _signed_in()
    if found is None:
        if wants_json():
            raise Unauthenticated("sign in first")
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("web.login", next=target), 303)
    g.modeler_actor = found
    # Every modeler route is for analysts, except moving cases, which is for supervisors.
    if request.endpoint in SUPERVISOR_ENDPOINTS:
        migration_views.require_supervisor(found)
    else:
        require_analyst(found)
    boundary.check_request(request.view_args, request.args.items(multi=True), request.form.items(multi=True))
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        expected = session.get(security.CSRF_FIELD)
        given = request.headers.get(CSRF_HEADER) or request.form.get(security.CSRF_FIELD, "")
        if not isinstance(expected, str) or not hmac.compare_digest(expected.encode(), given.encode()):
            abort(400, description="The page has expired or did not come from this site. Reload it.")
    return None


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> Any:
    if wants_json():
        from service.api.problems import from_error

        return from_error(exc)
    return render_template("web/error.html", status=exc.status, title=exc.title, error=exc), exc.status


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Any:
    if exc.code is None or exc.code < 400:
        return exc
    if wants_json():
        from service.api.problems import problem

        slug = exc.name.lower().replace(" ", "-")
        return problem(exc.code, exc.name, exc.description or exc.name, slug)
    return render_template("web/error.html", status=exc.code, title=exc.name, error=exc.description), exc.code


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def int_arg(name: str) -> int | None:
    raw = request.values.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidData(f"{name} must be a whole number", [FieldError(name, "not a number")]) from None


def json_body() -> dict[str, Any]:
    """Return the request's JSON object (the modeler's JSON endpoints post one)."""
    return boundary.json_object(request.get_data(cache=True))


def xml_field(body: dict[str, Any], what: str) -> bytes:
    """Return the posted ``xml`` as bytes; refuse a missing or empty one naming ``what``."""
    xml = body.get("xml")
    if not isinstance(xml, str) or not xml.strip():
        raise InvalidData(f"the {what} XML is required", [FieldError("xml", "required")])
    return xml.encode("utf-8")


def text_field(body: dict[str, Any], name: str) -> str | None:
    """Return an optional text field of the body; refuse any other type."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidData(f"{name} must be text", [FieldError(name, "expected a string")])
    return value


@bp.get("/")
def index() -> Any:
    return render_template(
        "modeler/index.html",
        processes=versions.processes(services(), actor()),
        decisions=decisions.listing(services(), actor()),
        drafts=drafts.list_own(services(), actor()),
    )


@bp.get("/edit")
def edit() -> Any:
    process, draft = request.args.get("process"), request.args.get("draft")
    source: dict[str, Any] = {"kind": "new"}
    xml = None
    if draft:
        opened = drafts.open_own(services(), actor(), draft)
        xml, source = opened.pop("xml"), {"kind": "draft", **opened}
    elif process:
        opened = versions.for_editing(services(), actor(), process, int_arg("version"))
        xml, source = opened.pop("xml"), {"kind": "definition", **opened}
    return render_template("modeler/edit.html", source=source, xml=xml, csrf=security.csrf_token())


@bp.post("/drafts/<draft_id>/delete")
def delete_draft(draft_id: str) -> Any:
    drafts.delete_own(services(), actor(), draft_id)
    return redirect(url_for("modeler.index"), 303)


@bp.get("/processes/<key>/versions")
def version_list(key: str) -> Any:
    listed = versions.versions(services(), actor(), key)
    numbers = [v["version"] for v in listed["versions"]]
    after = int_arg("to") or numbers[0]
    before = int_arg("from") or (numbers[1] if len(numbers) > 1 else None)
    compared = versions.diff(services(), actor(), key, before, after) if before is not None else None
    return render_template(
        "modeler/versions.html", listed=listed, compared=compared, before=before, after=after
    )


@bp.get("/migration")
def migration_index() -> Any:
    return render_template("modeler/migration_index.html", processes=versions.processes(services(), actor()))


@bp.route("/processes/<key>/migration", methods=["GET", "POST"])
def migration_page(key: str) -> Any:
    listed = versions.versions(services(), actor(), key)
    source = int_arg("from")
    target = int_arg("to")
    result = None
    if request.method == "POST":
        if source is None:
            raise InvalidData("pick the version to move cases from", [FieldError("from", "required")])
        # Only the cases ticked on the form move (none ticked: none move).
        result = migration.migrate(services(), key, source, actor(), target, request.form.getlist("case"))
    report = migration_views.check(services(), key, source, actor(), target) if source is not None else None
    return render_template(
        "modeler/migration.html",
        listed=listed,
        report=report,
        result=result,
        source=source,
        target=target,
        suggested=versions.migration_source(listed) if source is None else source,
    )
