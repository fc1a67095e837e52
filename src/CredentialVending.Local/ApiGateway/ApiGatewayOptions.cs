using CredentialVending.Local.Lambda;

namespace CredentialVending.Local.ApiGateway;

/// <summary>Settings of an <see cref="ApiGatewayEmulator"/>.</summary>
public sealed record ApiGatewayOptions
{
    /// <summary>The routes, CORS configuration and functions, as template.yaml defines them.</summary>
    public required HttpApiDefinition Api { get; init; }

    /// <summary>How to start an execution environment of a template function.</summary>
    public required Func<TemplateFunction, FunctionLaunch> Launch { get; init; }

    /// <summary>At most this many processes per function at once; more concurrent requests wait for one to free up.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>The origins CORS allows (the template's AllowedOrigins parameter); <c>*</c> in one matches any run of characters.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = CorsPolicy.DefaultOrigins;

    /// <summary>The keys the AWS_IAM authorizer accepts on the admin routes.</summary>
    public IReadOnlyList<IamCredential> IamCredentials { get; init; } = [];

    /// <summary>The API's region: SigV4 scopes must name it.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Every line a function writes, with the function's name (REPORT lines included).</summary>
    public Action<string, string> Log { get; init; } = (_, _) => { };
}
