using System.ComponentModel.DataAnnotations;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.UnitTests.Hosting;

public sealed class ConnectionStringsOptionsTests
{
    private static List<ValidationResult> Validate(ConnectionStringsOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Complete_settings_are_valid() =>
        Validate(new ConnectionStringsOptions
        {
            Postgres = "Host=127.0.0.1;Database=obotr;Username=obotr;Password=obotr",
            Redis = "127.0.0.1:6379",
            RabbitMq = "amqp://guest:guest@127.0.0.1:5672/",
        }).ShouldBeEmpty();

    [Fact]
    public void Missing_settings_are_named_with_their_environment_variable()
    {
        var messages = Validate(new ConnectionStringsOptions()).Select(result => result.ErrorMessage).ToList();

        messages.ShouldContain(message => message!.Contains("ConnectionStrings__Postgres"));
        messages.ShouldContain(message => message!.Contains("ConnectionStrings__Redis"));
        messages.ShouldContain(message => message!.Contains("ConnectionStrings__RabbitMq"));
    }

    [Fact]
    public void Malformed_postgres_and_rabbitmq_settings_are_refused()
    {
        var messages = Validate(new ConnectionStringsOptions { Postgres = "Host=x;Bogus Key=1", Redis = "r:1", RabbitMq = "http://x" })
            .Select(result => result.ErrorMessage).ToList();

        messages.ShouldContain("ConnectionStrings:Postgres is not a valid Npgsql connection string.");
        messages.ShouldContain("ConnectionStrings:RabbitMq must be an amqp:// or amqps:// URI.");
    }
}
