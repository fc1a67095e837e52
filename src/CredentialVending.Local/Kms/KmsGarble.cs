using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace CredentialVending.Local.Kms;

/// <summary>How a <see cref="KmsEmulator"/> garbles a 200 answer it has already computed (the call itself succeeds).</summary>
public enum KmsGarbleKind
{
    /// <summary>A 200 whose body is cut off halfway, so it is no JSON.</summary>
    NotJson,

    /// <summary>A 200 without the answer's blob: Sign's <c>Signature</c>, GetPublicKey's <c>PublicKey</c>.</summary>
    NoBlob,

    /// <summary>The blob is not base64.</summary>
    BlobNotBase64,

    /// <summary>Sign: a 1024-bit key's length of signature (128 bytes) where the key's is 256.</summary>
    ShortSignature,

    /// <summary>Sign: a signature of the right length that does not verify under the key's public key.</summary>
    ForeignSignature,

    /// <summary>GetPublicKey: DER that is no SubjectPublicKeyInfo.</summary>
    NotSubjectPublicKeyInfo,

    /// <summary>GetPublicKey: an EC P-256 key's SubjectPublicKeyInfo.</summary>
    EcKey,

    /// <summary>GetPublicKey: an RSA 1024 key's SubjectPublicKeyInfo.</summary>
    SmallRsaKey,
}

/// <summary>One garbling, applied to every successful call of <paramref name="Action"/> (<c>Sign</c>, <c>GetPublicKey</c>) while set.</summary>
public sealed record KmsGarble(string Action, KmsGarbleKind Kind)
{
    /// <summary>The body to answer instead of <paramref name="answer"/>.</summary>
    internal string Apply(JsonObject answer)
    {
        var blob = Action == "Sign" ? "Signature" : "PublicKey";
        switch (Kind)
        {
            case KmsGarbleKind.NotJson:
                var text = answer.ToJsonString();
                return text[..(text.Length / 2)];
            case KmsGarbleKind.NoBlob:
                answer.Remove(blob);
                break;
            case KmsGarbleKind.BlobNotBase64:
                answer[blob] = "not*base64!";
                break;
            case KmsGarbleKind.ShortSignature:
                answer[blob] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(128));
                break;
            case KmsGarbleKind.ForeignSignature:
                answer[blob] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(256));
                break;
            case KmsGarbleKind.NotSubjectPublicKeyInfo:
                answer[blob] = Convert.ToBase64String([0x30, 0x03, 0x02, 0x01, 0x00]);
                break;
            case KmsGarbleKind.EcKey:
                using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    answer[blob] = Convert.ToBase64String(ec.ExportSubjectPublicKeyInfo());
                }

                break;
            case KmsGarbleKind.SmallRsaKey:
                using (var rsa = RSA.Create(1024))
                {
                    answer[blob] = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
                }

                break;
        }

        return answer.ToJsonString();
    }
}
