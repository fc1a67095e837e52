using YamlDotNet.RepresentationModel;

namespace CredentialVending.SystemTests.Template;

/// <summary>template.yaml's routes and functions against RouteTable, the code's table of contents.</summary>
public sealed class TemplateRoutesTests
{
    private static readonly YamlMappingNode Template = RepositoryFiles.LoadTemplate();

    [Fact]
    public void Every_route_of_the_template_is_a_route_of_the_code_and_the_other_way_round()
    {
        var inTemplate = TemplateRoutes().Select(r => $"{r.Handler} {r.Method} {r.Path}").Order(StringComparer.Ordinal).ToArray();
        var inCode = RouteTable.All.Select(r => $"{r.Function} {r.Method} {r.Path}").Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(inCode, inTemplate);
    }

    [Fact]
    public void Admin_routes_use_the_iam_authorizer_and_no_other_route_has_one()
    {
        foreach (var route in TemplateRoutes())
        {
            var access = RouteTable.All.Single(r => r.Method == route.Method && r.Path == route.Path).Access;
            var expected = access is CredentialVending.Functions.Http.AdminAccess ? "AWS_IAM" : null;
            Assert.True(expected == route.Authorizer, $"{route.Method} {route.Path} ({route.Handler}) has authorizer '{route.Authorizer}', not '{expected}'.");
        }

        var auth = Resource("Api").Map("Properties").Map("Auth");
        Assert.Equal("true", auth.Text("EnableIamAuthorizer"));
        Assert.Null(auth.Get("DefaultAuthorizer"));
    }

    [Fact]
    public void Every_route_is_on_the_one_http_api()
    {
        Assert.Equal("AWS::Serverless::HttpApi", Resource("Api").Text("Type"));
        Assert.All(TemplateRoutes(), route => Assert.Equal("!Ref Api", route.ApiId));
        Assert.All(TemplateRoutes(), route => Assert.True(route.PayloadFormatVersion is null or "2.0", $"{route.Path}: payload format {route.PayloadFormatVersion}"));
    }

    [Fact]
    public void Each_function_of_the_code_has_one_function_resource_built_by_the_makefile()
    {
        var functions = Functions().ToArray();
        Assert.Equal(RouteTable.Functions.Order(StringComparer.Ordinal), functions.Select(f => f.Handler).Order(StringComparer.Ordinal));

        var makefile = File.ReadAllLines(RepositoryFiles.PathOf("Makefile"));
        var targets = makefile.Single(line => line.StartsWith("FUNCTIONS :=", StringComparison.Ordinal))["FUNCTIONS :=".Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (logicalId, handler, resource) in functions)
        {
            Assert.Equal($"{char.ToUpperInvariant(handler[0])}{handler[1..]}Function", logicalId);
            Assert.Equal("makefile", resource.Map("Metadata").Text("BuildMethod"));
            Assert.Contains(logicalId, targets);
        }
    }

    private static YamlMappingNode Resource(string logicalId) => Template.Map("Resources").Map(logicalId);

    private static IEnumerable<(string LogicalId, string Handler, YamlMappingNode Resource)> Functions() =>
        Template.Map("Resources").Entries()
            .Where(e => e.Value.Text("Type") == "AWS::Serverless::Function")
            .Select(e => (e.Key, e.Value.Map("Properties").Text("Handler")!, (YamlMappingNode)e.Value));

    private static IEnumerable<TemplateRoute> TemplateRoutes() =>
        from function in Functions()
        from e in function.Resource.Map("Properties").Map("Events").Entries()
        where e.Value.Text("Type") == "HttpApi"
        let p = e.Value.Map("Properties")
        select new TemplateRoute(
            function.Handler,
            p.Text("Method")!.ToUpperInvariant(),
            p.Text("Path")!,
            p.Get("Auth")?.Text("Authorizer"),
            Yaml.Render(p.Get("ApiId")!),
            p.Text("PayloadFormatVersion"));

    private sealed record TemplateRoute(string Handler, string Method, string Path, string? Authorizer, string ApiId, string? PayloadFormatVersion);
}
