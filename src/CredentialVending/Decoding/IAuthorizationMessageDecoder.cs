using CredentialVending.Common;

namespace CredentialVending.Decoding;

/// <summary>
/// Turns an encoded authorization failure message into the JSON STS's <c>DecodeAuthorizationMessage</c> answers, or
/// 400 <c>invalid_message</c>; throws <see cref="DependencyUnavailableException"/> when no STS endpoint could answer.
/// </summary>
public interface IAuthorizationMessageDecoder
{
    Task<Outcome<string>> DecodeAsync(string encodedMessage, CancellationToken ct);
}
