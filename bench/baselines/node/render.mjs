// docs/api.md "Credentials" steps 2-4 for the Node.js peer: scopes, duration, and the session policy and tags with
// {{tenant}}, {{subject}} and {{claim:NAME}} filled in. A value outside the strict set is refused, never escaped.
const SAFE_VALUE = /^[A-Za-z0-9_.@+=,-]{1,64}$/;
const VARIABLE = /\{\{([^}]*)\}\}/g;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_POLICY = 2048;

class Unusable extends Error {}

function holds(claims, rule) {
  if (!rule) return false;
  const value = claims[rule.claim];
  const values = typeof value === 'string' ? value.split(' ').filter(Boolean) : Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
  return values.some((v) => rule.anyOf.includes(v));
}

function fill(text, values, claims) {
  return text.replace(VARIABLE, (_, name) => {
    const value = name === 'tenant' ? values.tenant : name === 'subject' ? values.subject
      : name.startsWith('claim:') ? claims[name.slice(6)] : undefined;
    if (typeof value !== 'string' || !SAFE_VALUE.test(value)) throw new Unusable(`{{${name}}} cannot be rendered`);
    return value;
  });
}

function render(node, values, claims) {
  if (typeof node === 'string') return fill(node, values, claims);
  if (Array.isArray(node)) return node.map((item) => render(item, values, claims));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, render(value, values, claims)]));
  }
  return node;
}

/** The plan of one request, or { refusal: [status, code, detail] }. */
export function renderSession(tenant, subject, claims, requested, durationSeconds) {
  const names = requested && requested.length ? requested : tenant.defaultScopes;
  if (!names) return { refusal: [400, 'invalid_scope', 'Name the scopes to issue: this tenant has no defaultScopes.'] };
  const unknown = names.filter((n) => !Object.hasOwn(tenant.scopes, n));
  if (unknown.length) return { refusal: [400, 'invalid_scope', 'Unknown scope.'] };
  // In the document's order whatever the request's order, so one set of scopes always makes the same policy.
  const selected = Object.keys(tenant.scopes).filter((n) => names.includes(n));
  const refused = selected.filter((n) => tenant.scopes[n].grantedTo && !holds(claims, tenant.scopes[n].grantedTo));
  if (refused.length) return { refusal: [403, 'scope_not_permitted', `The caller does not hold the scope ${refused.join(', ')}.`] };

  const issuance = tenant.issuance;
  const duration = durationSeconds ?? issuance.defaultDurationSeconds ?? 900;
  if (duration < 900 || duration > (issuance.maxDurationSeconds ?? 3600)) {
    return { refusal: [400, 'invalid_duration', 'durationSeconds is out of range.'] };
  }

  const values = { tenant: tenant.tenantId, subject };
  try {
    const statements = selected.flatMap((n) => tenant.scopes[n].statements.map((s) => render(s, values, claims)));
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    if (policy.length > MAX_POLICY) return { refusal: [400, 'invalid_scope', 'The scopes are too large together.'] };
    const tags = Object.entries(tenant.sessionTags || {}).map(([Key, template]) => ({ Key, Value: fill(template, values, claims) }));
    if (tags.some((t) => t.Value.length > 256 || !TAG_VALUE.test(t.Value))) {
      return { refusal: [403, 'unusable_claim', 'A session tag cannot be rendered.'] };
    }
    return { scopes: selected, durationSeconds: duration, policy, tags };
  } catch (e) {
    if (e instanceof Unusable) return { refusal: [403, 'unusable_claim', e.message] };
    throw e;
  }
}
