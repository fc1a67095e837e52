using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CredentialVending.Common;

namespace CredentialVending.Revocation;

/// <summary>
/// The inline policy <c>credential-vending-revocations</c> on a tenant's role: one <c>Deny * on *</c> a target, with
/// the condition docs/api.md's "Revocation" table gives. Entries are kept only while a credential they deny can be
/// alive, and the whole stays within IAM's inline policy limit by merging single-lease entries into a tenant-wide deny.
/// </summary>
public static class RevocationPolicy
{
    public const string Name = "credential-vending-revocations";

    /// <summary>IAM's limit on a role's inline policies together (whitespace not counted; this counts it anyway).</summary>
    public const int MaxCharacters = 10240;

    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <paramref name="entries"/> with <paramref name="added"/> (one revocation's entries), less what has expired at <paramref name="now"/>, made to
    /// fit: <c>Merged</c> says the single-lease entries (and, only if that is not enough, the subjects') became one deny
    /// of every session issued before <paramref name="now"/>, carrying <paramref name="revocationId"/>.
    /// </summary>
    public static (IReadOnlyList<RevocationEntry> Entries, bool Merged) With(IReadOnlyList<RevocationEntry> entries, IReadOnlyList<RevocationEntry> added, string revocationId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(added);
        var kept = Combine(Prune([.. entries, .. added], now));
        if (Fits(kept))
        {
            return (kept, false);
        }

        foreach (var kind in new[] { RevocationKind.Lease, RevocationKind.Subject })
        {
            var merging = kept.Where(e => e.Kind == kind).ToList();
            if (merging.Count == 0)
            {
                continue;
            }

            var wide = RevocationEntry.ForTenant(revocationId, now, merging.Max(e => e.ExpiresAt));
            kept = Combine([.. kept.Except(merging), wide]);
            if (Fits(kept))
            {
                break;
            }
        }

        return (kept, true);
    }

    /// <summary>What can still deny a live credential at <paramref name="now"/>.</summary>
    public static IReadOnlyList<RevocationEntry> Prune(IEnumerable<RevocationEntry> entries, DateTimeOffset now) =>
        [.. entries.Where(e => e.ExpiresAt > now)];

    /// <summary>The policy document, minified; null when nothing is left to deny (the policy is then deleted).</summary>
    public static string? Render(IReadOnlyList<RevocationEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            json.WriteStartObject();
            json.WriteString("Version", "2012-10-17");
            json.WriteStartArray("Statement");
            var leases = entries.Where(e => e.Kind == RevocationKind.Lease && e.Key is null).OrderBy(e => e.Value, StringComparer.Ordinal).ToList();
            if (leases.Count > 0)
            {
                // One statement for every lease: a lease costs its 30-odd characters, not a whole statement's 100.
                Deny(json, "RevokedLeases", c =>
                {
                    c.WriteStartObject("StringLike");
                    c.WriteStartArray("aws:userid");
                    leases.ForEach(l => c.WriteStringValue("*:" + l.Value));
                    c.WriteEndArray();
                    c.WriteEndObject();
                });
            }

            var samlNumber = 0;
            foreach (var saml in entries.Where(e => e.Kind == RevocationKind.Lease && e.Key is not null).OrderBy(e => e.Value, StringComparer.Ordinal))
            {
                // The identity provider names a SAML session, and may name the next one alike: its issue time tells them apart.
                Deny(json, $"RevokedSamlLease{++samlNumber}", c =>
                {
                    c.WriteStartObject("StringLike");
                    c.WriteString("aws:userid", "*:" + saml.Value);
                    c.WriteEndObject();
                    c.WriteStartObject("DateEquals");
                    c.WriteString("aws:TokenIssueTime", saml.Key);
                    c.WriteEndObject();
                });
            }

            var number = 0;
            foreach (var subject in entries.Where(e => e.Kind == RevocationKind.Subject).OrderBy(e => e.Value, StringComparer.Ordinal))
            {
                Deny(json, $"RevokedSubject{++number}", c =>
                {
                    c.WriteStartObject("StringEquals");
                    c.WriteString(subject.Key!, subject.Value);
                    c.WriteEndObject();
                    IssuedBefore(c, subject.NotBefore);
                });
            }

            foreach (var tenant in entries.Where(e => e.Kind == RevocationKind.Tenant))
            {
                Deny(json, "RevokedTenant", c => IssuedBefore(c, tenant.NotBefore));
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static bool Fits(IReadOnlyList<RevocationEntry> entries) => (Render(entries)?.Length ?? 0) <= MaxCharacters;

    // Two entries for the same target are one, with the later time and the later expiry: it denies all either did.
    private static List<RevocationEntry> Combine(IEnumerable<RevocationEntry> entries) =>
        [.. entries.GroupBy(e => (e.Kind, e.Key, e.Value)).Select(g => g.Aggregate((a, b) => a with
        {
            RevocationId = b.NotBefore >= a.NotBefore ? b.RevocationId : a.RevocationId,
            NotBefore = b.NotBefore > a.NotBefore ? b.NotBefore : a.NotBefore,
            ExpiresAt = b.ExpiresAt > a.ExpiresAt ? b.ExpiresAt : a.ExpiresAt,
        }))];

    private static void Deny(Utf8JsonWriter json, string sid, Action<Utf8JsonWriter> condition)
    {
        json.WriteStartObject();
        json.WriteString("Sid", sid);
        json.WriteString("Effect", "Deny");
        json.WriteString("Action", "*");
        json.WriteString("Resource", "*");
        json.WriteStartObject("Condition");
        condition(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void IssuedBefore(Utf8JsonWriter json, DateTimeOffset notBefore)
    {
        json.WriteStartObject("DateLessThan");
        json.WriteString("aws:TokenIssueTime", Iso8601.Format(notBefore));
        json.WriteEndObject();
    }
}
