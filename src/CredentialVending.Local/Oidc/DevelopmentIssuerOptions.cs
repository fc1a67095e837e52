namespace CredentialVending.Local.Oidc;

/// <summary>Settings of a <see cref="DevelopmentIssuer"/>, the development and test OIDC issuer of the local cloud.</summary>
public sealed record DevelopmentIssuerOptions
{
    /// <summary>The audience of tokens from <c>GET /_local/token</c> when the request names none.</summary>
    public string DefaultAudience { get; init; } = "credvend-local";

    /// <summary>How long tokens from <c>GET /_local/token</c> live.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The claim that carries <c>tenant=</c> of <c>GET /_local/token</c>.</summary>
    public string TenantClaim { get; init; } = "tenant";

    /// <summary>The claim (an array) that carries <c>groups=</c> of <c>GET /_local/token</c>.</summary>
    public string GroupsClaim { get; init; } = "groups";

    /// <summary>The loopback port <see cref="DevelopmentIssuer.StartAsync"/> binds; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The clock behind <c>iat</c>, <c>nbf</c> and <c>exp</c>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
