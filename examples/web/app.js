// A web app's side of the credential vending service, with no build step and no library: sign in, trade the user's
// token for short-lived AWS credentials, and ask again before they expire. The API is on another origin, so every
// call here is a CORS call: the Authorization header makes the browser send a preflight first.
'use strict';

(() => {
  const params = new URLSearchParams(location.search);
  const settings = {
    api: (params.get('api') || 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    tenant: params.get('tenant') || 'demo',
    sub: params.get('sub') || 'alice',
    groups: params.get('groups') || '',
    scopes: (params.get('scopes') || '').split(',').map((s) => s.trim()).filter(Boolean),
    // Seconds before expiry to ask again: room for a slow network and a clock that is a little off.
    refreshMarginSeconds: Number(params.get('refreshMargin') || 300),
  };
  // A sign-in redirect hands the token over in the fragment, which the browser never sends to a server.
  const handedToken = new URLSearchParams(location.hash.slice(1)).get('access_token');
  const retrySeconds = 30;
  let current = null;
  let requests = 0;

  const show = (id, text) => { document.getElementById(id).textContent = String(text); };
  const log = (text) => {
    const item = document.createElement('li');
    item.textContent = `${new Date().toISOString()} ${text}`;
    document.getElementById('log').append(item);
  };

  // In a real app this is your identity provider's SDK (Amplify/Cognito, Auth0, MSAL, oidc-client...), which keeps the
  // user's token fresh. Here: the local run's development issuer, which gives any local caller a token.
  async function getToken() {
    if (handedToken) return handedToken;
    const query = new URLSearchParams({ tenant: settings.tenant, sub: settings.sub, groups: settings.groups });
    const response = await fetch(`${settings.api}/_local/token?${query}`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`the development issuer answered HTTP ${response.status}`);
    return (await response.json()).access_token;
  }

  async function askForCredentials(token) {
    show('requests', ++requests);
    const init = { method: 'POST', headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' };
    if (settings.scopes.length > 0) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify({ scopes: settings.scopes });
    }
    const response = await fetch(`${settings.api}/v1/tenants/${encodeURIComponent(settings.tenant)}/credentials`, init);
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      // Errors are problem+json; the gateway exposes Retry-After to the page (429 rate_limited, 503 unavailable).
      const error = new Error(body && body.code ? `HTTP ${response.status} ${body.code}: ${body.detail}` : `HTTP ${response.status}`);
      error.status = response.status;
      error.retryAfter = Number(response.headers.get('Retry-After')) || null;
      throw error;
    }
    return body;
  }

  async function refresh() {
    let step = 'token';
    try {
      const token = await getToken();
      step = 'credentials';
      const lease = await askForCredentials(token);
      // Hand these to an AWS SDK client, e.g. new S3Client({ region, credentials: async () => current }).
      current = lease.credentials;
      show('lease', lease.leaseId);
      show('access-key', current.accessKeyId);
      show('expires', current.expiration);
      show('status', `credentials for ${lease.scopes.join(', ')}`);
      show('error', '');
      document.body.dataset.state = 'ready';
      log(`lease ${lease.leaseId} until ${current.expiration}`);
      schedule((Date.parse(current.expiration) - Date.now()) / 1000 - settings.refreshMarginSeconds);
    } catch (error) {
      // A CORS refusal reaches the page only as a TypeError ("Failed to fetch"): the browser hides why.
      const message = `${step} request failed: ${error.message}`;
      show('error', message);
      show('status', 'error');
      document.body.dataset.state = 'error';
      log(message);
      retryOrStop(error);
    }
  }

  function retryOrStop(error) {
    // A refusal (4xx but 429) will not change by asking again; anything else is retried while the credentials held
    // still have time left, or, with none yet, after a pause.
    if (error.status >= 400 && error.status < 500 && error.status !== 429) {
      show('next-refresh', 'none: the service refused');
      return;
    }
    const left = current ? (Date.parse(current.expiration) - Date.now()) / 1000 : Infinity;
    if (left <= 0) current = null;
    schedule(Math.min(error.retryAfter || retrySeconds, Math.max(left / 2, 1)));
  }

  function schedule(seconds) {
    // Never less than a second, so a margin larger than the lease cannot turn into a busy loop.
    const delay = Math.max(seconds, 1) * 1000;
    show('next-refresh', new Date(Date.now() + delay).toISOString());
    setTimeout(refresh, delay);
  }

  show('api', settings.api);
  show('who', `${settings.tenant} / ${handedToken ? 'the signed-in user' : settings.sub}`);
  refresh();
})();
