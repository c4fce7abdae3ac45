// Diagram-interchange completeness and overlap checks on a bpmn-moddle root.

function isA(el, type) {
  return !!el && typeof el.$instanceOf === 'function' && el.$instanceOf(type);
}

/** Semantic elements that must have DI, with the container they sit in. */
export function collectSemantic(definitions) {
  const required = [];
  const visitFlowElements = (container) => {
    for (const el of container.flowElements || []) {
      if (isA(el, 'bpmn:FlowNode') || isA(el, 'bpmn:SequenceFlow')) required.push(el);
      if (isA(el, 'bpmn:SubProcess')) visitFlowElements(el);
    }
  };
  const visitLanes = (laneSet) => {
    for (const lane of (laneSet && laneSet.lanes) || []) {
      required.push(lane);
      visitLanes(lane.childLaneSet);
    }
  };
  for (const root of definitions.rootElements || []) {
    if (isA(root, 'bpmn:Process')) {
      visitFlowElements(root);
      for (const ls of root.laneSets || []) visitLanes(ls);
    }
    if (isA(root, 'bpmn:Collaboration')) {
      for (const p of root.participants || []) required.push(p);
      for (const mf of root.messageFlows || []) required.push(mf);
    }
  }
  return required;
}

/** Map semantic id -> [{di, plane}] over all diagrams/planes. */
export function collectDI(definitions) {
  const byId = new Map();
  for (const diagram of definitions.diagrams || []) {
    const plane = diagram.plane;
    for (const di of (plane && plane.planeElement) || []) {
      const id = di.bpmnElement && di.bpmnElement.id;
      if (!id) continue;
      if (!byId.has(id)) byId.set(id, []);
      byId.get(id).push({ di, plane });
    }
  }
  return byId;
}

function validBounds(b) {
  return !!b && [b.x, b.y, b.width, b.height].every(Number.isFinite) && b.width > 0 && b.height > 0;
}

function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function ancestors(el) {
  const out = new Set();
  for (let p = el.$parent; p; p = p.$parent) out.add(p);
  return out;
}

/** Pairs that legitimately share space: boundary event on its host, node inside expanded sub-process. */
function mayOverlap(a, b) {
  if (isA(a, 'bpmn:BoundaryEvent') && a.attachedToRef === b) return true;
  if (isA(b, 'bpmn:BoundaryEvent') && b.attachedToRef === a) return true;
  if (ancestors(a).has(b) || ancestors(b).has(a)) return true;
  // boundary event attached to a sub-process sits on its border: children of the host may touch it
  const host = (x) => (isA(x, 'bpmn:BoundaryEvent') ? x.attachedToRef : null);
  if (host(a) && ancestors(b).has(host(a))) return true;
  if (host(b) && ancestors(a).has(host(b))) return true;
  return false;
}

/**
 * Returns a list of {check, elementId, message} issues:
 * missing-shape, missing-edge, bad-bounds, bad-waypoints, overlap.
 */
export function checkDI(definitions) {
  const issues = [];
  const di = collectDI(definitions);
  const shapes = [];
  for (const el of collectSemantic(definitions)) {
    const isEdge = isA(el, 'bpmn:SequenceFlow') || isA(el, 'bpmn:MessageFlow');
    const entries = (di.get(el.id) || []).filter(({ di: d }) => isA(d, isEdge ? 'bpmndi:BPMNEdge' : 'bpmndi:BPMNShape'));
    if (!entries.length) {
      issues.push({
        check: isEdge ? 'missing-edge' : 'missing-shape',
        elementId: el.id,
        message: `${el.$type} "${el.name || el.id}" has no ${isEdge ? 'BPMNEdge' : 'BPMNShape'}`
      });
      continue;
    }
    for (const { di: d, plane } of entries) {
      if (isEdge) {
        const wps = d.waypoint || [];
        if (wps.length < 2 || !wps.every(w => Number.isFinite(w.x) && Number.isFinite(w.y))) {
          issues.push({ check: 'bad-waypoints', elementId: el.id, message: `BPMNEdge ${d.id} needs at least 2 numeric waypoints (has ${wps.length})` });
        }
      } else if (!validBounds(d.bounds)) {
        issues.push({ check: 'bad-bounds', elementId: el.id, message: `BPMNShape ${d.id} has missing or empty dc:Bounds` });
      } else if (isA(el, 'bpmn:FlowNode')) {
        shapes.push({ el, bounds: d.bounds, plane });
      }
    }
  }
  for (let i = 0; i < shapes.length; i++) {
    for (let j = i + 1; j < shapes.length; j++) {
      const a = shapes[i], b = shapes[j];
      if (a.plane !== b.plane || mayOverlap(a.el, b.el)) continue;
      if (overlaps(a.bounds, b.bounds)) {
        issues.push({ check: 'overlap', elementId: a.el.id, message: `shape of ${a.el.id} overlaps shape of ${b.el.id}` });
      }
    }
  }
  return issues;
}
