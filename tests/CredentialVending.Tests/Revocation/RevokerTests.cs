using CredentialVending.Revocation;
using static CredentialVending.Tests.Tenants.TenantSamples;

namespace CredentialVending.Tests.Revocation;

/// <summary>Which condition key a subject revocation names, per mode: the one this service set on the subject's sessions.</summary>
public sealed class RevokerTests
{
    public static TheoryData<string, string, string?> Keys => new()
    {
        { Acme, "alice", "aws:SourceIdentity" },
        { Acme, "alice smith", "aws:PrincipalTag/subject" },
        { Brokered(), "alice", "aws:SourceIdentity" },
        { Brokered(), "alice smith", "aws:PrincipalTag/subject" },
        { Brokered(Edit("sessionTags/subject", null)), "alice smith", null },
        { Edit("issuance/mode", "\"webIdentity\"", Edit("issuance/externalId", null, Edit("sessionTags", null))), "alice", null },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_subject_is_revoked_by_the_key_its_sessions_carry(string document, string subject, string? key) =>
        Assert.Equal(key, Revoker.SubjectKey(Valid(document), subject));
}
