using System.Text.Json.Nodes;

namespace CredentialVending.Tests.Tenants.Isolation;

/// <summary>
/// A request one caller's own session makes, tried by a session (another caller's, or the owner's own). Expect: true,
/// it must pass (the owner's own); false, it must not (another's), unless <see cref="Guard"/>, the owner's own same
/// request, does not pass either: then the name is nobody's, which only matters for requests that leave keys out.
/// </summary>
internal sealed record Attempt(IsolationSession Owner, IsolationSession Prober, IamProbe Probe, bool? Expect, string Kind, IamProbe? Guard = null)
{
    public override string ToString() =>
        $"{Kind}: {Prober.Caller} tried {Owner.Caller}'s {Probe.Action} on {Probe.Resource}"
        + $"\n    context {string.Join(", ", Probe.Context.Select(c => $"{c.Key}={string.Join("|", c.Value)}"))}"
        + $"\n    the trying session's policy: {Prober.Policy.ToJsonString()}";
}

/// <summary>
/// Turns the owner's rendered statements into concrete requests the owner's session makes: each wildcard of a name
/// filled in (in the resource part; an ARN's region and account get real values), and the condition keys set as the
/// owner's request would set them. The resource's own facts (tags, the listed prefix, partition keys) stay the owner's
/// when another session tries the same request; the request's own keys (user agent, request tags...) are the trying
/// caller's to choose, so they are taken from its own rendering of the same statement; the session's keys are its own.
/// </summary>
internal static class IsolationProbes
{
    private static readonly Dictionary<string, string> ConcreteActions = new(StringComparer.Ordinal)
    {
        ["s3:Get*"] = "s3:GetObject",
        ["dynamodb:*"] = "dynamodb:GetItem",
    };

    // A bare "*" resource is tied, if at all, by its tags: any name of the action's resource type will do.
    private static readonly Dictionary<string, string> AnyResource = new(StringComparer.Ordinal)
    {
        ["sqs"] = "arn:aws:sqs:us-east-1:123456789012:queue-x",
        ["sns"] = "arn:aws:sns:us-east-1:123456789012:topic-x",
        ["lambda"] = "arn:aws:lambda:us-east-1:123456789012:function:fn-x",
        ["dynamodb"] = "arn:aws:dynamodb:us-east-1:123456789012:table/table-x",
        ["s3"] = "arn:aws:s3:::bucket-x/object-x",
    };

    private static readonly Dictionary<string, IReadOnlyList<string>> NoKeys = [];

    /// <summary>The owner's requests from its statement <paramref name="index"/>, tried by <paramref name="prober"/> (and by the owner itself).</summary>
    public static IEnumerable<Attempt> Of(IsolationSession owner, IsolationSession prober, int index, string filler, string kind)
    {
        var statement = owner.Statements[index];
        var probersOwn = prober.Statements[index];
        // A subject the policy never renders is never checked: it may hold a wildcard, which a filler must not.
        var subject = prober.Caller.Subject.Replace('*', 'x').Replace('?', 'x');
        var fill = filler.Replace("T", prober.Caller.TenantId, StringComparison.Ordinal).Replace("S", subject, StringComparison.Ordinal);
        var ownerKeys = Keys(statement, fill, owner.TenantTag, IsolationSession.IsResourceKey);

        // A key that holds many values (dynamodb:LeadingKeys) carries the owner's and, as the prober may add them, the prober's own.
        var probeKeys = Keys(probersOwn, fill, prober.TenantTag, IsolationSession.IsResourceKey)
            .Where(k => IamEvaluator.IsMultiValued(k.Key) && ownerKeys.ContainsKey(k.Key))
            .ToDictionary(k => k.Key, k => (IReadOnlyList<string>)[.. ownerKeys[k.Key].Union(k.Value)], StringComparer.Ordinal);
        foreach (var (key, value) in ownerKeys.Where(k => !probeKeys.ContainsKey(k.Key)))
        {
            probeKeys[key] = value;
        }

        // A session fact other than the tenant tag (aws:SourceIdentity = the tenant), a tenant tag compared to anything but
        // the session's own, or a tenant tag the session lacks (a statement tied otherwise need not have one), may deny the
        // owner its own request.
        var ownMustPass = !ConditionKeys(statement).Any(k => IsolationSession.IsSessionKey(k) && !k.Equals("aws:PrincipalTag/tenant", StringComparison.OrdinalIgnoreCase))
            && Keys(statement, "x", owner.TenantTag, k => k.Equals("aws:PrincipalTag/tenant", StringComparison.OrdinalIgnoreCase)).Values.All(v => v.Contains(owner.TenantTag))
            && (owner.TenantTag is not null || !statement.ToJsonString().Contains("aws:PrincipalTag/tenant", StringComparison.OrdinalIgnoreCase))
            && !SingleOperatorOnManyValues(statement);
        foreach (var action in Strings(statement["Action"]).Select(a => ConcreteActions.GetValueOrDefault(a, a)))
        {
            foreach (var resource in Strings(statement["Resource"]))
            {
                var name = Fill(resource, fill, owner.TenantTag, action);
                var requestKeys = Keys(probersOwn, fill, prober.TenantTag, IsRequestKey);
                var ownRequestKeys = Keys(statement, fill, owner.TenantTag, IsRequestKey);
                yield return new Attempt(owner, prober, Probe(prober, action, name, probeKeys, requestKeys), false, kind);

                // The owner's own request must pass, or the property could hold by denying everything.
                yield return new Attempt(owner, owner, Probe(owner, action, name, ownerKeys, ownRequestKeys), ownMustPass ? true : null, "own request");

                // The same request without the resource's keys (an untagged queue, a Scan): when the owner's session may
                // make it (IfExists, ForAllValues without Null), so must no other.
                if (ownerKeys.Count > 0)
                {
                    var own = Probe(owner, action, name, NoKeys, ownRequestKeys);
                    yield return new Attempt(owner, owner, own, null, "own request without the resource's keys");
                    yield return new Attempt(owner, prober, Probe(prober, action, name, NoKeys, requestKeys), false, kind + ", without the resource's keys", own);
                }
            }
        }
    }

    private static bool IsRequestKey(string key) => !IsolationSession.IsSessionKey(key) && !IsolationSession.IsResourceKey(key);

    private static IamProbe Probe(IsolationSession session, string action, string resource, IReadOnlyDictionary<string, IReadOnlyList<string>> resourceKeys, Dictionary<string, IReadOnlyList<string>> requestKeys)
    {
        var context = new Dictionary<string, IReadOnlyList<string>>(session.Context, StringComparer.Ordinal);
        foreach (var (key, value) in requestKeys.Concat(resourceKeys))
        {
            context[key] = value;
        }

        return new IamProbe(session.Principal, [IsolationSession.AllowEverything], session.Policy, action, resource, context);
    }

    /// <summary>The values the statement's conditions want, as a request meeting them would carry them.</summary>
    private static Dictionary<string, IReadOnlyList<string>> Keys(JsonObject statement, string filler, string? tenantTag, Func<string, bool> which)
    {
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (statement["Condition"] is not JsonObject condition)
        {
            return keys;
        }

        foreach (var (op, body) in condition)
        {
            if (op == "Null" || body is not JsonObject pairs)
            {
                continue;
            }

            // Only the Like operators read * and ? as wildcards; to StringEquals they are characters like any other.
            var like = op.Contains("Like", StringComparison.Ordinal);
            foreach (var (key, value) in pairs.Where(p => which(p.Key)))
            {
                keys[key] = [.. Strings(value).Take(1).Select(v => like ? Fill(v, filler, tenantTag, action: null) : Tagged(v, tenantTag))];
            }
        }

        return keys;
    }

    // iam-simulate reads StringEquals on dynamodb:LeadingKeys (a set) as never met; AWS's documentation asks for ForAllValues.
    private static bool SingleOperatorOnManyValues(JsonObject statement) =>
        statement["Condition"] is JsonObject condition
        && condition.Any(c => !c.Key.StartsWith("For", StringComparison.Ordinal) && c.Key != "Null" && c.Value is JsonObject o && o.Any(p => IamEvaluator.IsMultiValued(p.Key)));

    private static IEnumerable<string> ConditionKeys(JsonObject statement) =>
        statement["Condition"] is JsonObject condition ? condition.SelectMany(c => c.Value is JsonObject o ? o.Select(p => p.Key) : []) : [];

    /// <summary>A name the pattern matches: wildcards of the resource part become <paramref name="filler"/>, the tag variable its value.</summary>
    public static string Fill(string pattern, string filler, string? tenantTag, string? action)
    {
        var text = Tagged(pattern, tenantTag);
        if (text == "*" && action is not null)
        {
            return AnyResource[action.Split(':')[0]];
        }

        if (!text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return text.Replace("*", filler, StringComparison.Ordinal).Replace('?', 'x');
        }

        var parts = text.Split(':', 6);
        parts[3] = parts[3].Contains('*', StringComparison.Ordinal) ? "us-east-1" : parts[3];
        parts[4] = parts[4].Contains('*', StringComparison.Ordinal) ? "123456789012" : parts[4];
        // Only S3's keys hold a / freely; elsewhere it would name another resource type (a table's index), or none.
        parts[5] = parts[5].Replace("*", parts[2] == "s3" ? filler : filler.Replace('/', '-'), StringComparison.Ordinal).Replace('?', 'x');
        return string.Join(':', parts);
    }

    private static string Tagged(string text, string? tenantTag) =>
        text.Replace("${aws:PrincipalTag/tenant}", tenantTag ?? "no-tag", StringComparison.OrdinalIgnoreCase);

    public static IEnumerable<string> Strings(JsonNode? value) => value switch
    {
        JsonArray array => array.Select(v => v!.GetValue<string>()),
        JsonValue single => [single.GetValue<string>()],
        _ => [],
    };
}
