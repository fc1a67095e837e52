using CredentialVending.Identity;

namespace CredentialVending.Tests.Identity;

public sealed class BearerHeaderTests
{
    [Theory]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("BEARER abc.def.ghi", "abc.def.ghi")]
    [InlineData("Bearer    abc.def.ghi", "abc.def.ghi")]
    [InlineData(" Bearer abc.def.ghi ", "abc.def.ghi")]
    public void A_bearer_token_is_read_whatever_the_case_of_the_scheme(string header, string token)
    {
        Assert.Equal(token, BearerHeader.Read(header, out _));
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("   ", "missing")]
    [InlineData("Bearer", "no token")]
    [InlineData("Bearer ", "no token")]
    [InlineData("Basic YWxpY2U=", "not a Bearer")]
    [InlineData("Token abc", "not a Bearer")]
    [InlineData("Bearer a b", "more than one")]
    public void A_header_without_one_bearer_token_is_refused(string? header, string problem)
    {
        Assert.Null(BearerHeader.Read(header, out var said));
        Assert.Contains(problem, said, StringComparison.Ordinal);
    }
}
