using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.UnitTests.Hosting;

public sealed class BadRequestHandlerTests
{
    [Fact]
    public void Json_failure_names_the_path_and_never_echoes_the_message()
    {
        var exception = new BadHttpRequestException("Failed to read parameter \"X request\" from the request body as JSON.",
            new JsonException("secret 5204730000100003", "$.card.pan", 0, 12));

        var problem = BadRequestHandler.For(exception).ProblemDetails;

        problem.Extensions["code"].ShouldBe("malformed_request");
        ((IDictionary<string, string[]>)problem.Extensions["errors"]!).Keys.ShouldBe(["card.pan"]);
        JsonSerializer.Serialize(problem).ShouldNotContain("5204730000100003");
    }

    [Theory]
    [InlineData("Failed to bind parameter \"Nullable<int> limit\" from \"99999999999\".", "invalid_parameter", "limit")]
    [InlineData("Required parameter \"string gatewayToken\" was not provided from route.", "missing_parameter", "gatewayToken")]
    [InlineData("Required parameter \"CreatePaymentRequest request\" was not provided from body.", "missing_body", "body")]
    public void Binding_failure_names_the_parameter_without_its_value(string message, string code, string field)
    {
        var problem = BadRequestHandler.For(new BadHttpRequestException(message)).ProblemDetails;

        problem.Extensions["code"].ShouldBe(code);
        ((IDictionary<string, string[]>)problem.Extensions["errors"]!).Keys.ShouldBe([field]);
        JsonSerializer.Serialize(problem).ShouldNotContain("99999999999");
    }

    [Theory]
    [InlineData(StatusCodes.Status413PayloadTooLarge, "payload_too_large")]
    [InlineData(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type")]
    [InlineData(StatusCodes.Status408RequestTimeout, "request_timeout")]
    [InlineData(StatusCodes.Status400BadRequest, "malformed_request")]
    public void Other_refusals_keep_their_status_with_a_code(int status, string code)
    {
        var problem = BadRequestHandler.For(new BadHttpRequestException("anything", status)).ProblemDetails;

        problem.Status.ShouldBe(status);
        problem.Extensions["code"].ShouldBe(code);
    }
}
