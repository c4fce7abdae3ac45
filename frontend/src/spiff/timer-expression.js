// Spiff timer expressions are Python expressions: an ISO 8601 literal must be a quoted string.

const DURATION = /^P(?=\d|T\d)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const CYCLE = /^R\d*\/[^\s'"]+$/;

export function isIsoLiteral(text) {
  return DURATION.test(text) || DATE_TIME.test(text) || CYCLE.test(text);
}

function isQuoted(text) {
  return text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0];
}

/**
 * Normalise what an analyst typed: `P15D` -> `"P15D"`; already-quoted strings and
 * other Python expressions (e.g. `deadline_duration`) are kept as typed (trimmed).
 */
export function normalizeTimerExpression(value) {
  const text = (value || '').trim();
  if (!text || isQuoted(text)) return text;
  return isIsoLiteral(text) ? `"${text}"` : text;
}

export const TIMER_KINDS = ['timeDuration', 'timeDate', 'timeCycle'];
