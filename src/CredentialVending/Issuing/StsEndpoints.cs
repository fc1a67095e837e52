using System.Text.RegularExpressions;
using CredentialVending.Common;

namespace CredentialVending.Issuing;

/// <summary>One STS endpoint to try. <see cref="ServiceUrl"/> null means AWS's regional endpoint of <see cref="Region"/>.</summary>
public sealed record StsEndpoint(string Region, Uri? ServiceUrl)
{
    public override string ToString() => ServiceUrl is null ? Region : $"{Region}={ServiceUrl}";
}

/// <summary>Reads <c>STS_ENDPOINTS</c>: <c>us-east-1,us-west-2</c>, or <c>region=url</c> entries for a local endpoint.</summary>
public static partial class StsEndpoints
{
    /// <summary>
    /// The endpoints in the order given, or an <c>invalid_request</c> refusal listing every bad entry (a
    /// configuration mistake, for the operator to fix at once). An empty value is refused: the host falls back to
    /// <c>AWS_REGION</c> before calling this.
    /// </summary>
    public static Outcome<IReadOnlyList<StsEndpoint>> Parse(string value)
    {
        var endpoints = new List<StsEndpoint>();
        var errors = new List<FieldError>();
        var entries = (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            var path = $"STS_ENDPOINTS[{i}]";
            var entry = entries[i];
            if (entry.Length == 0)
            {
                errors.Add(new FieldError(path, "is empty"));
                continue;
            }

            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var region = (equals < 0 ? entry : entry[..equals]).Trim();
            Uri? url = null;
            if (!RegionPattern().IsMatch(region))
            {
                errors.Add(new FieldError(path, $"'{region}' is not an AWS region name such as us-east-1"));
            }

            if (equals >= 0 && !EndpointUrls.TryParse(entry[(equals + 1)..].Trim(), out url, out var problem))
            {
                errors.Add(new FieldError(path, problem));
            }

            var endpoint = new StsEndpoint(region, url);
            if (endpoints.Contains(endpoint))
            {
                errors.Add(new FieldError(path, $"repeats {endpoint}"));
            }

            endpoints.Add(endpoint);
        }

        return errors.Count == 0
            ? endpoints
            : new Refusal(Codes.InvalidRequest, "STS_ENDPOINTS is not a comma separated list of regions or region=url entries.", errors);
    }

    // us-east-1, us-gov-west-1, cn-northwest-1, eu-isoe-west-1, ap-southeast-5...
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
