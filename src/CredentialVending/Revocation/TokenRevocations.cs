namespace CredentialVending.Revocation;

/// <summary>When a revoked subject's (or, for <see cref="All"/>, anyone's) tokens stop being taken, and until when that holds.</summary>
public sealed record TokenCutoff(DateTimeOffset NotBefore, DateTimeOffset Until);

/// <summary>
/// The subjects of a tenant whose tokens issued (<c>iat</c>) before their revocation are refused new credentials, kept on
/// the tenant's own item so the vend path reads them with the document, in its one DynamoDB round trip, and reuses
/// them as long as the document (<c>TENANT_CACHE_SECONDS</c>).
/// </summary>
public sealed record TokenRevocations(IReadOnlyDictionary<string, TokenCutoff> Subjects, TokenCutoff? All)
{
    /// <summary>
    /// How long a cutoff is kept at least: tokens of the identity providers tenants use live an hour or so, and at most
    /// a day (Cognito's longest), so a token issued before the revocation has expired by then.
    /// </summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(1);

    /// <summary>
    /// How many bytes of subjects the tenant's item may hold (UTF-8, plus 32 for each cutoff's numbers): the vend path
    /// reads them with every document, and DynamoDB refuses an item past 400 KB. Past it the subjects' cutoffs become
    /// one for the whole tenant, as the role policy's entries do past IAM's limit.
    /// </summary>
    public const int MaxSubjectBytes = 64 * 1024;

    public static TokenRevocations None { get; } = new(new Dictionary<string, TokenCutoff>(), null);

    /// <summary>
    /// Whether a token of <paramref name="subject"/> issued at <paramref name="issuedAt"/> is refused at <paramref name="now"/>.
    /// A token with no <c>iat</c> cannot show it came after the revocation, so it is refused too.
    /// </summary>
    public bool Refuses(string subject, DateTimeOffset? issuedAt, DateTimeOffset now) =>
        Cuts(Subjects.GetValueOrDefault(subject), issuedAt, now) || Cuts(All, issuedAt, now);

    /// <summary>
    /// These, with <paramref name="subject"/> (or every subject, when null) cut off before <paramref name="cutoff"/>'s
    /// time, less what has lapsed; past <see cref="MaxSubjectBytes"/>, every subject's cutoff merged into <see cref="All"/>
    /// (which refuses more, never less).
    /// </summary>
    public TokenRevocations With(string? subject, TokenCutoff cutoff, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cutoff);
        var subjects = Subjects.Where(s => s.Value.Until > now).ToDictionary(StringComparer.Ordinal);
        var all = All is { } a && a.Until > now ? a : null;
        if (subject is null)
        {
            all = Later(all, cutoff);
        }
        else
        {
            subjects[subject] = Later(subjects.GetValueOrDefault(subject), cutoff);
            if (subjects.Sum(s => System.Text.Encoding.UTF8.GetByteCount(s.Key) + 32) > MaxSubjectBytes)
            {
                all = subjects.Values.Aggregate(all, (merged, next) => Later(merged, next));
                subjects.Clear();
            }
        }

        return new TokenRevocations(subjects, all);
    }

    /// <summary>The token's <c>iat</c>, when it is a number of seconds.</summary>
    public static DateTimeOffset? IssuedAt(Identity.ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return claims.TryGet("iat", out var iat) && iat.ValueKind == System.Text.Json.JsonValueKind.Number && iat.TryGetInt64(out var seconds)
            && seconds is >= 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }

    private static bool Cuts(TokenCutoff? cutoff, DateTimeOffset? issuedAt, DateTimeOffset now) =>
        cutoff is not null && cutoff.Until > now && (issuedAt is not { } iat || iat < cutoff.NotBefore);

    private static TokenCutoff Later(TokenCutoff? a, TokenCutoff b) => a is null
        ? b
        : new(a.NotBefore > b.NotBefore ? a.NotBefore : b.NotBefore, a.Until > b.Until ? a.Until : b.Until);
}
