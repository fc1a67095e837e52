#!/usr/bin/env bash
# Onboards a tenant as a pipeline would: PUT its document, preview what one of its users would be
# given, and check that preview before go-live. Every call is signed with SigV4 by curl itself
# (--aws-sigv4), with the credentials in the environment, for the API's AWS_IAM admin routes.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: onboard.sh [-s SUBJECT] [-c CLAIMS_JSON] [-S SCOPES] API_URL TENANT_JSON

Puts the tenant document TENANT_JSON to API_URL/admin/tenants/<tenantId>, then previews the session
a user would be given and checks it:
  - the preview answers 200 (not a refusal);
  - the session policy fits STS's 2,048 characters;
  - every Allow statement's resources name the tenant (its id, or ${aws:PrincipalTag/tenant});
    a preview that includes "shared" scopes skips this check, as a statement's scope is not shown;
  - no Allow grants Action "*";
  - the role and mode are the document's; the preview's warnings are printed.
Exits non-zero, saying why, when any check fails.

  API_URL       the service's base URL (the stack's ApiUrl output), e.g. https://abc123.execute-api.us-east-1.amazonaws.com
  TENANT_JSON   the tenant document (see tenant.json beside this script)
  -s SUBJECT    the user to preview (default: preview-user)
  -c CLAIMS     extra claims of that user's token, as a JSON object, e.g. '{"cognito:groups":["editors"]}'
  -S SCOPES     the scopes to preview, comma separated (default: the tenant's defaultScopes)

Environment: AWS_REGION (the API's region), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for
temporary credentials, AWS_SESSION_TOKEN: a principal in the stack's AdminPrincipalArns.
With the AWS CLI v2: eval "$(aws configure export-credentials --format env)"
Needs curl 7.75 or later (for --aws-sigv4) and jq.
USAGE
}

subject="preview-user"
extra_claims='{}'
scopes=""
while getopts ":s:c:S:h" option; do
  case "$option" in
    s) subject="$OPTARG" ;;
    c) extra_claims="$OPTARG" ;;
    S) scopes="$OPTARG" ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [[ $# -ne 2 ]]; then
  usage >&2
  exit 2
fi

api_url="${1%/}"
tenant_file="$2"
: "${AWS_REGION:?AWS_REGION must name the region of the API}"
: "${AWS_ACCESS_KEY_ID:?AWS_ACCESS_KEY_ID must be set (see --help)}"
: "${AWS_SECRET_ACCESS_KEY:?AWS_SECRET_ACCESS_KEY must be set (see --help)}"
command -v jq >/dev/null || { echo "onboard.sh: jq is needed" >&2; exit 2; }
jq -e 'type == "object"' "$tenant_file" >/dev/null || { echo "onboard.sh: $tenant_file is not a JSON object" >&2; exit 2; }
jq -e 'type == "object"' <<<"$extra_claims" >/dev/null || { echo "onboard.sh: -c must be a JSON object" >&2; exit 2; }

tenant_id="$(jq -r '.tenantId' "$tenant_file")"
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

# One signed call: prints the HTTP status; the body is left in $workdir/body.
call() {
  local method="$1" path="$2"
  shift 2
  local args=(--silent --show-error --request "$method" --output "$workdir/body" --write-out '%{http_code}'
    --aws-sigv4 "aws:amz:${AWS_REGION}:execute-api" --user "${AWS_ACCESS_KEY_ID}:${AWS_SECRET_ACCESS_KEY}"
    --header 'content-type: application/json')
  if [[ -n "${AWS_SESSION_TOKEN:-}" ]]; then
    args+=(--header "x-amz-security-token: ${AWS_SESSION_TOKEN}")
  fi
  curl "${args[@]}" "$@" "${api_url}${path}"
}

fail() {
  echo "onboard.sh: $*" >&2
  exit 1
}

# 1. Put the tenant (201 created, 200 updated or unchanged).
status="$(call PUT "/admin/tenants/${tenant_id}" --data-binary "@${tenant_file}")"
if [[ "$status" != 200 && "$status" != 201 ]]; then
  fail "PUT /admin/tenants/${tenant_id} answered ${status}: $(cat "$workdir/body")"
fi
echo "tenant ${tenant_id}: stored (HTTP ${status}, version $(jq -r '.version' "$workdir/body"))"

# 2. Preview a user: the subject and tenant claims the document names, plus any given.
jq -n --arg subject "$subject" --arg tenant "$tenant_id" --arg scopes "$scopes" \
  --argjson extra "$extra_claims" --slurpfile doc "$tenant_file" '
  ($doc[0].identity) as $identity
  | { claims: ({ ($identity.subjectClaim // "sub"): $subject }
      + (if $identity.tenantClaim then { ($identity.tenantClaim): $tenant } else {} end)
      + $extra) }
  + (if $scopes == "" then {} else { scopes: ($scopes | split(",")) } end)' >"$workdir/preview-request.json"
status="$(call POST "/admin/tenants/${tenant_id}/preview" --data-binary "@$workdir/preview-request.json")"
[[ "$status" == 200 ]] || fail "the preview for ${subject} was refused (HTTP ${status}): $(cat "$workdir/body")"
cp "$workdir/body" "$workdir/preview.json"

# 3. Check it.
jq -r '.warnings[]? | "warning: " + (if type == "object" then "\(.path // "-"): \(.message // "")" else tostring end)' "$workdir/preview.json" >&2
problems="$(jq -r --arg tenant "$tenant_id" --slurpfile doc "$tenant_file" '
  def list: if type == "array" then . else [.] end;
  . as $p
  | ($p.sharedScopes // []) as $shared
  | [ if $p.sessionPolicyLength > 2048 then "the session policy is \($p.sessionPolicyLength) characters; STS takes 2048" else empty end,
      if $p.roleArn != $doc[0].issuance.roleArn then "the preview names role \($p.roleArn), not the document'"'"'s" else empty end,
      if $p.mode != $doc[0].issuance.mode then "the preview mode is \($p.mode), not the document'"'"'s" else empty end,
      ( $p.sessionPolicy.Statement[] | select(.Effect == "Allow")
        | if (.Action | list | index("*")) then "an Allow grants Action \"*\"" else empty end,
          ( .Resource | list | .[]
            | select((contains($tenant) or contains("${aws:PrincipalTag/tenant}")) | not)
            | select($shared | length == 0)
            | "resource \(.) does not name the tenant" ) )
    ] | .[]' "$workdir/preview.json")"
if [[ -n "$problems" ]]; then
  echo "$problems" | sed 's/^/problem: /' >&2
  fail "the preview for ${subject} failed its checks"
fi

echo "preview for ${subject}: scopes $(jq -c '.scopes' "$workdir/preview.json"), policy $(jq '.sessionPolicyLength' "$workdir/preview.json") characters, role $(jq -r '.roleArn' "$workdir/preview.json")"
echo "tenant ${tenant_id} is ready"
