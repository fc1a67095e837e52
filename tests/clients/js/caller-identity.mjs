// The AWS SDK for JavaScript v3 as an app uses it: one of its own credential providers, configured only as its docs
// say, and two STS GetCallerIdentity calls signed with what that provider loaded, as a long-lived app makes many.
// Prints one JSON line: who STS says the caller was each time, and how often the provider was asked.
//   node caller-identity.mjs http STS_URL      fromHttp: AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN
//   node caller-identity.mjs process STS_URL PROFILE   fromProcess: the profile's credential_process in AWS_CONFIG_FILE
import { fromHttp, fromProcess } from '@aws-sdk/credential-providers';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const [provider, endpoint, profile] = process.argv.slice(2);
const providers = { http: () => fromHttp(), process: () => fromProcess({ profile }) };
if (!providers[provider] || !endpoint) {
  console.error('usage: node caller-identity.mjs http|process STS_URL [PROFILE]');
  process.exit(2);
}

try {
  const load = providers[provider]();
  let loads = 0;
  let accessKeyId;
  // Counts the loads only: the client still caches and refreshes them its own way.
  const credentials = async (options) => {
    loads += 1;
    const loaded = await load(options);
    accessKeyId = loaded.accessKeyId;
    return loaded;
  };
  const sts = new STSClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
  const first = await sts.send(new GetCallerIdentityCommand({}));
  const second = await sts.send(new GetCallerIdentityCommand({}));
  console.log(JSON.stringify({ Arn: first.Arn, SecondArn: second.Arn, Account: first.Account, AccessKeyId: accessKeyId, Loads: loads }));
} catch (error) {
  // The provider's own message: what a developer would see.
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
}
