using CredentialVending.Lambda.Client;

namespace CredentialVending.Lambda.Tests.Client;

public sealed class LambdaErrorTests
{
    [Fact]
    public void An_error_from_a_thrown_exception_names_its_type_message_and_frames()
    {
        var thrown = Catch(() => throw new InvalidOperationException("The tenant is unknown."));

        var error = LambdaError.From(thrown);

        // Named as Amazon.Lambda.RuntimeSupport names it: the type's short name.
        Assert.Equal("InvalidOperationException", error.ErrorType);
        Assert.Equal("The tenant is unknown.", error.ErrorMessage);
        Assert.NotEmpty(error.StackTrace);
        Assert.All(error.StackTrace, frame => Assert.StartsWith("at ", frame, StringComparison.Ordinal));
        Assert.Contains(error.StackTrace, frame => frame.Contains(nameof(Catch), StringComparison.Ordinal));
    }

    [Fact]
    public void An_error_from_an_exception_never_thrown_has_an_empty_stack_trace()
    {
        var error = LambdaError.From(new TimeoutException("Too slow."));

        Assert.Equal("TimeoutException", error.ErrorType);
        Assert.Empty(error.StackTrace);
    }

    private static Exception Catch(Action action)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // The test needs the exception with its stack trace, whatever its type.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }

        throw new InvalidOperationException("Nothing was thrown.");
    }
}
