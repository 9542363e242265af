using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Hosting;

/// <summary>The <c>ConnectionStrings</c> section: where PostgreSQL, Redis and RabbitMQ live.</summary>
internal sealed class ConnectionStringsOptions : IValidatableObject
{
    public const string Section = "ConnectionStrings";

    [Required(ErrorMessage = "ConnectionStrings:Postgres (env ConnectionStrings__Postgres) is required.")]
    public string Postgres { get; set; } = "";

    [Required(ErrorMessage = "ConnectionStrings:Redis (env ConnectionStrings__Redis) is required, e.g. 127.0.0.1:6379.")]
    public string Redis { get; set; } = "";

    [Required(ErrorMessage = "ConnectionStrings:RabbitMq (env ConnectionStrings__RabbitMq) is required, e.g. amqp://guest:guest@127.0.0.1:5672/.")]
    public string RabbitMq { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(RabbitMq)
            && !(Uri.TryCreate(RabbitMq, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps"))
        {
            yield return new ValidationResult(
                "ConnectionStrings:RabbitMq must be an amqp:// or amqps:// URI.", [nameof(RabbitMq)]);
        }

        if (!string.IsNullOrEmpty(Postgres))
        {
            string? error = null;
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(Postgres);
            }
            catch (ArgumentException)
            {
                error = "ConnectionStrings:Postgres is not a valid Npgsql connection string.";
            }

            if (error is not null)
            {
                yield return new ValidationResult(error, [nameof(Postgres)]);
            }
        }
    }
}
