// Judges session policies with @cloud-copilot/iam-simulate, an IAM evaluator nobody in this project wrote, so the
// isolation property (tests/CredentialVending.Tests/Tenants/Isolation) does not grade the lint with the lint's own ideas.
//
// Input: batches on stdin, one JSON array a line; each item
//   { principal, identityPolicies: [policy...], sessionPolicy, action, resource, context: { key: string | [string] } }.
// Output: one JSON array a line, in the same order:
//   { decision: "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied" | null, error: null | "...", ignoredKeys: [...] }.
// One process serves every batch of a test run: starting node and loading IAM's data costs far more than a probe.
import { createInterface } from 'node:readline'
import { runSimulation } from '@cloud-copilot/iam-simulate'

async function evaluate(probe) {
  try {
    const result = await runSimulation(
      {
        request: {
          principal: probe.principal,
          action: probe.action,
          resource: { resource: probe.resource, accountId: probe.accountId ?? '123456789012' },
          contextVariables: probe.context ?? {}
        },
        sessionPolicy: probe.sessionPolicy ?? undefined,
        identityPolicies: (probe.identityPolicies ?? []).map((policy, i) => ({ name: `identity${i}`, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: []
      },
      { simulationMode: 'Strict' }
    )
    if (result.resultType === 'error') {
      return { decision: null, error: JSON.stringify(result.errors), ignoredKeys: [] }
    }
    // A wildcard resource is judged for every resource type it could be; one Allowed among them is an Allowed.
    const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : []
    return { decision: result.overallResult, error: null, ignoredKeys: ignored }
  } catch (e) {
    return { decision: null, error: String(e?.stack ?? e), ignoredKeys: [] }
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of lines) {
  if (line.trim().length === 0) continue
  let batch
  try {
    batch = JSON.parse(line)
  } catch (e) {
    process.stdout.write(JSON.stringify({ batchError: `not a JSON array: ${e.message}` }) + '\n')
    continue
  }
  const answers = []
  for (const probe of batch) answers.push(await evaluate(probe))
  process.stdout.write(JSON.stringify(answers) + '\n')
}
