// The benchmark's Node.js peer: POST/GET /v1/tenants/{tenantId}/credentials as a team would write it with
// jose and the AWS SDK v3 instead of the C# bootstrap. Same steps as docs/api.md "Credentials": authenticate against
// the tenant's issuer (discovery + JWKS), load the tenant (cached as the C# function does), scopes, duration, the
// rate limit, render the policy with the same strict value check, AssumeRole (trying STS_ENDPOINTS in order), a conditional lease write, then answer.
// Clients and caches live outside the handler, so a warm environment reuses them, as on Lambda.
import { randomBytes, createHash } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { createRemoteJWKSet, jwtVerify, errors as joseErrors } from 'jose';
import { renderSession } from './render.mjs';

const env = process.env;
const TIMEOUT_MS = 3000; // as the C# function: Lambda bills waiting, so no call is waited out
const requestHandler = { requestTimeout: TIMEOUT_MS, connectionTimeout: TIMEOUT_MS };
const dynamo = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB || undefined, maxAttempts: 3, requestHandler });
const stsClients = (env.STS_ENDPOINTS || env.AWS_REGION).split(',').map((entry) => {
  const [region, url] = entry.trim().split('=');
  return { region, client: new STSClient({ region, endpoint: url || undefined, requestHandler }) };
});
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'];
const RETENTION_DAYS = Number(env.LEASE_RETENTION_DAYS || 400);
const keySets = new Map(); // issuer -> jose's remote JWKS (it caches keys and refetches on an unknown kid)
// As the C# function: a tenant document is reused for TENANT_CACHE_SECONDS, and the rate counter is spread over one
// item per 10,000 requests a minute, taken in turn, and sent alongside a due tenant read on the limit last read.
const CACHE_MS = Number(env.TENANT_CACHE_SECONDS ?? 5) * 1000;
const tenants = new Map(); // tenantId -> { document, readAt }
const PER_ITEM_PER_MINUTE = 10000;
let turn = Math.floor(Math.random() * 2 ** 31);

export const handler = async (event) => {
  const requestId = event.requestContext?.requestId;
  const tenantId = event.pathParameters?.tenantId;
  try {
    const request = readRequest(event);
    const cached = tenants.get(tenantId);
    let tenant = cached && Date.now() - cached.readAt < CACHE_MS ? cached.document : undefined;
    let early; // [limit, promise of the count]
    if (!tenant) {
      const lastLimit = cached?.document.limits?.requestsPerMinute;
      if (lastLimit) early = [lastLimit, countRequest(tenantId, lastLimit)];
      const readAt = Date.now();
      const [read] = await Promise.allSettled([loadTenant(tenantId), early?.[1]]);
      if (read.status === 'rejected') throw read.reason;
      tenant = read.value;
      if (tenant && CACHE_MS > 0) tenants.set(tenantId, { document: tenant, readAt });
    }
    if (!tenant) return problem(404, 'tenant_not_found', `No tenant '${tenantId}' is onboarded.`, requestId);
    const caller = await authenticate(event.headers?.authorization, tenant);
    if (caller.refusal) return problem(...caller.refusal, requestId);
    if (tenant.status === 'suspended') return problem(403, 'tenant_suspended', 'The tenant is suspended.', requestId);
    const plan = renderSession(tenant, caller.subject, caller.claims, request.scopes, request.durationSeconds);
    if (plan.refusal) return problem(...plan.refusal, requestId);
    const limit = tenant.limits?.requestsPerMinute;
    if (limit) {
      const wait = await (early && early[0] === limit ? early[1] : countRequest(tenantId, limit));
      if (wait) return problem(429, 'rate_limited', `Tenant '${tenantId}' is limited to ${limit} requests a minute.`, requestId, { 'retry-after': String(wait) });
    }
    const issuedAt = new Date();
    const leaseId = ulid(issuedAt.getTime());
    const issuance = tenant.issuance;
    const sts = await assumeRole({
      RoleArn: issuance.roleArn, RoleSessionName: leaseId, Policy: plan.policy, DurationSeconds: plan.durationSeconds,
      ExternalId: issuance.externalId, Tags: plan.tags.length ? plan.tags : undefined,
      SourceIdentity: /^[A-Za-z0-9_+=,.@-]{2,64}$/.test(caller.subject) ? caller.subject : undefined,
    });
    const credentials = sts.answer.Credentials;
    const lease = {
      leaseId, tenantId, subject: caller.subject, issuer: tenant.identity.issuer, scopes: plan.scopes,
      mode: 'assumeRole', roleArn: issuance.roleArn, assumedRoleArn: sts.answer.AssumedRoleUser.Arn,
      accessKeyId: credentials.AccessKeyId, issuedAt: iso(issuedAt), expiresAt: iso(credentials.Expiration),
      durationSeconds: plan.durationSeconds, stsRegion: sts.region,
      policySha256: createHash('sha256').update(plan.policy).digest('hex'),
      sourceIp: event.requestContext?.http?.sourceIp, userAgent: event.requestContext?.http?.userAgent, requestId,
    };
    // The ledger first: credentials whose lease is not written never leave.
    try {
      await putLease(lease, credentials.Expiration, sts.answer.PackedPolicySize);
    } catch (e) {
      console.error(JSON.stringify({ level: 'error', message: 'Lease write failed.', leaseId, error: e.name }));
      return problem(503, 'unavailable', 'The lease could not be recorded.', requestId, { 'retry-after': '1' });
    }
    console.log(JSON.stringify({ level: 'info', message: 'Credentials issued.', tenantId, leaseId, accessKeyId: lease.accessKeyId }));
    return json(200, {
      leaseId, tenantId, subject: caller.subject, scopes: plan.scopes,
      credentials: {
        accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken, expiration: iso(credentials.Expiration),
      },
      assumedRoleArn: lease.assumedRoleArn, issuedAt: lease.issuedAt, stsRegion: sts.region,
    }, { 'cache-control': 'no-store' });
  } catch (e) {
    if (e instanceof Refused) return problem(...e.refusal, requestId);
    console.error(JSON.stringify({ level: 'error', message: 'Vend failed.', error: e.name }));
    return problem(503, 'unavailable', 'A dependency is unavailable; try again shortly.', requestId, { 'retry-after': '2' });
  }
};

class Refused extends Error {
  constructor(status, code, detail) { super(detail); this.refusal = [status, code, detail]; }
}

function readRequest(event) {
  const query = event.queryStringParameters || {};
  let scopes = query.scopes ? query.scopes.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  let durationSeconds = query.durationSeconds !== undefined ? Number(query.durationSeconds) : undefined;
  if (event.requestContext?.http?.method === 'POST' && event.body) {
    let body;
    try {
      body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
    } catch {
      throw new Refused(400, 'invalid_request', 'The body is not JSON.');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Refused(400, 'invalid_request', 'The body must be a JSON object.');
    for (const [name, value] of Object.entries(body)) {
      if (name === 'scopes' && Array.isArray(value) && value.every((v) => typeof v === 'string')) scopes = [...(scopes || []), ...value];
      else if (name === 'durationSeconds' && Number.isInteger(value)) durationSeconds = value;
      else throw new Refused(400, 'invalid_request', `The field '${name}' is unknown or of the wrong type.`);
    }
  }
  if (durationSeconds !== undefined && !Number.isInteger(durationSeconds)) throw new Refused(400, 'invalid_request', 'durationSeconds must be a whole number.');
  return { scopes, durationSeconds };
}

async function loadTenant(tenantId) {
  const answer = await dynamo.send(new GetItemCommand({
    TableName: env.TENANTS_TABLE, Key: { tenantId: { S: tenantId } }, ConsistentRead: true,
  }));
  return answer.Item ? JSON.parse(answer.Item.document.S) : null;
}

// null when allowed, else the seconds to the next minute.
async function countRequest(tenantId, limit) {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const minute = Math.floor(nowSeconds / 60);
  const shards = Math.max(1, Math.ceil(limit / PER_ITEM_PER_MINUTE));
  const shard = shards === 1 ? 0 : (turn = (turn + 1) % 2 ** 31) % shards;
  const share = Math.floor(limit / shards) + (shard < limit % shards ? 1 : 0);
  try {
    await dynamo.send(new UpdateItemCommand({
      TableName: env.LEASES_TABLE,
      Key: { tenantId: { S: shard === 0 ? `_rate#${tenantId}` : `_rate#${tenantId}#${shard}` }, leaseId: { S: String(minute) } },
      UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: String(share) }, ':ttl': { N: String((minute + 2) * 60) } },
    }));
    return null;
  } catch (e) {
    if (e.name === 'ConditionalCheckFailedException') return (minute + 1) * 60 - nowSeconds;
    throw e;
  }
}

async function keySetOf(issuer) {
  let keys = keySets.get(issuer);
  if (!keys) {
    const discovery = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!discovery.ok) throw new Error(`discovery answered ${discovery.status}`);
    const document = await discovery.json();
    if (document.issuer !== issuer) throw new Error('the discovery document names another issuer');
    keys = createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: TIMEOUT_MS, cooldownDuration: 60000 });
    keySets.set(issuer, keys);
  }
  return keys;
}

async function authenticate(authorization, tenant) {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization || '');
  if (!match || match[1].length > 16 * 1024) return { refusal: [401, 'invalid_token', 'A bearer token is required.'] };
  const identity = tenant.identity;
  let payload;
  try {
    ({ payload } = await jwtVerify(match[1], await keySetOf(identity.issuer), {
      issuer: identity.issuer, audience: identity.audiences, algorithms: ALGORITHMS, clockTolerance: 60, requiredClaims: ['exp'],
    }));
  } catch (e) {
    if (e instanceof joseErrors.JOSEError && !(e instanceof joseErrors.JWKSTimeout)) return { refusal: [401, 'invalid_token', 'The token is not valid.'] };
    throw e;
  }
  const subject = payload[identity.subjectClaim || 'sub'];
  if (typeof subject !== 'string' || !subject) return { refusal: [401, 'invalid_token', 'The token names no subject.'] };
  if (identity.tenantClaim && payload[identity.tenantClaim] !== tenant.tenantId) {
    return { refusal: [403, 'tenant_mismatch', 'The token is not for this tenant.'] };
  }
  return { subject, claims: payload };
}

// STS_ENDPOINTS in order: an endpoint that cannot be reached, fails or throttles is passed over for the next.
async function assumeRole(input) {
  let last;
  for (const { region, client } of stsClients) {
    try {
      return { region, answer: await client.send(new AssumeRoleCommand(input)) };
    } catch (e) {
      const status = e.$metadata?.httpStatusCode;
      if (status && status < 500 && e.name !== 'Throttling' && e.name !== 'RegionDisabledException') {
        throw new Refused(502, 'issuance_failed', `STS refused: ${e.name}.`);
      }
      last = e;
    }
  }
  throw last;
}

async function putLease(lease, expiration, packedPolicySize) {
  const item = {};
  for (const [name, value] of Object.entries(lease)) {
    if (value === undefined || value === '') continue;
    item[name] = Array.isArray(value) ? { L: value.map((v) => ({ S: v })) } : typeof value === 'number' ? { N: String(value) } : { S: value };
  }
  const expiresEpoch = Math.floor(expiration.getTime() / 1000);
  item.tenantSubject = { S: `${lease.tenantId}#${lease.subject}` };
  item.expiresAtEpoch = { N: String(expiresEpoch) };
  item.ttl = { N: String(expiresEpoch + RETENTION_DAYS * 86400) };
  if (packedPolicySize !== undefined) item.packedPolicySize = { N: String(packedPolicySize) };
  await dynamo.send(new PutItemCommand({ TableName: env.LEASES_TABLE, Item: item, ConditionExpression: 'attribute_not_exists(leaseId)' }));
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function ulid(ms) {
  let id = '';
  for (let i = 9, t = ms; i >= 0; i--, t = Math.floor(t / 32)) id = CROCKFORD[t % 32] + id;
  for (const b of randomBytes(16)) id += CROCKFORD[b % 32];
  return id;
}

const iso = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const json = (statusCode, body, headers = {}) => ({
  statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
});

const problem = (status, code, detail, requestId, headers = {}) => ({
  statusCode: status,
  headers: { 'content-type': 'application/problem+json', ...headers },
  body: JSON.stringify({ type: 'about:blank', title: code, status, code, detail, requestId }),
});
