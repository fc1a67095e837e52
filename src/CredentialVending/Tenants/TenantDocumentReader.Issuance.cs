using System.Text.Json;

namespace CredentialVending.Tenants;

public static partial class TenantDocumentReader
{
    public const int MinDurationSeconds = 900;
    public const int MaxDurationSeconds = 43200;

    private static readonly string[] IssuanceFields = ["mode", "roleArn", "externalId", "defaultDurationSeconds", "maxDurationSeconds"];

    private static IssuanceSettings? ReadIssuance(JsonElement root, Findings findings)
    {
        if (findings.Object(root, "issuance", string.Empty, required: true, IssuanceFields) is not { } issuance)
        {
            return null;
        }

        IssuanceMode? mode = findings.String(issuance, "mode", "issuance", required: true) switch
        {
            "assumeRole" => IssuanceMode.AssumeRole,
            "webIdentity" => IssuanceMode.WebIdentity,
            "saml" => IssuanceMode.Saml,
            "brokered" => IssuanceMode.Brokered,
            null => null,
            _ => Invalid<IssuanceMode>(findings, "issuance.mode", "must be assumeRole, webIdentity, saml or brokered"),
        };

        var roleArn = findings.String(issuance, "roleArn", "issuance", required: true, maxLength: 2048);
        if (roleArn is not null && !TenantPatterns.RoleArn().IsMatch(roleArn))
        {
            findings.Add("issuance.roleArn", "must be arn:aws:iam::<12 digits>:role/<path and name>");
        }

        var externalId = findings.String(issuance, "externalId", "issuance", required: false, maxLength: 1224);
        if (externalId is not null && !TenantPatterns.ExternalId().IsMatch(externalId))
        {
            findings.Add("issuance.externalId", "must be 2 to 1224 of A-Z a-z 0-9 and _ + = , . @ : / - (STS's pattern)");
        }
        else if (externalId is not null && mode is IssuanceMode.WebIdentity or IssuanceMode.Brokered)
        {
            findings.Add("issuance.externalId", $"has no effect in {IssuanceModes.Name(mode.Value)} mode: AssumeRoleWithWebIdentity takes no external id, so STS would ignore it");
        }
        else if (externalId is not null && mode == IssuanceMode.Saml)
        {
            findings.Add("issuance.externalId", "has no effect in saml mode: AssumeRoleWithSAML takes no external id, so STS would ignore it");
        }

        var defaultDuration = findings.Integer(issuance, "defaultDurationSeconds", "issuance") ?? IssuanceSettings.DefaultDuration;
        var maxDuration = findings.Integer(issuance, "maxDurationSeconds", "issuance") ?? IssuanceSettings.DefaultMaxDuration;
        var defaultInRange = CheckDuration(defaultDuration, "issuance.defaultDurationSeconds", findings);
        if (CheckDuration(maxDuration, "issuance.maxDurationSeconds", findings) && defaultInRange && defaultDuration > maxDuration)
        {
            findings.Add("issuance.defaultDurationSeconds", $"must not exceed maxDurationSeconds ({maxDuration})");
        }

        return mode is null || roleArn is null
            ? null
            : new IssuanceSettings
            {
                Mode = mode.Value,
                RoleArn = roleArn,
                ExternalId = externalId,
                DefaultDurationSeconds = defaultDuration,
                MaxDurationSeconds = maxDuration,
            };
    }

    private static bool CheckDuration(int seconds, string path, Findings findings)
    {
        if (seconds is >= MinDurationSeconds and <= MaxDurationSeconds)
        {
            return true;
        }

        findings.Add(path, $"must be between {MinDurationSeconds} and {MaxDurationSeconds} seconds");
        return false;
    }

    private static T? Invalid<T>(Findings findings, string path, string message)
        where T : struct
    {
        findings.Add(path, message);
        return null;
    }
}
