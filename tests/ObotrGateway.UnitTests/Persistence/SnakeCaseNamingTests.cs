using ObotrGateway.Api.Persistence;

namespace ObotrGateway.UnitTests.Persistence;

public sealed class SnakeCaseNamingTests
{
    [Theory]
    [InlineData("Merchants", "merchants")]
    [InlineData("TokenRequestorId", "token_requestor_id")]
    [InlineData("ApiKeyHash", "api_key_hash")]
    [InlineData("PK_Merchants", "pk_merchants")]
    [InlineData("IX_Merchants_ApiKeyHash", "ix_merchants_api_key_hash")]
    [InlineData("PanSuffix4", "pan_suffix4")]
    [InlineData("TUR", "tur")]
    public void ToSnakeCase_maps_ef_names_to_the_sql_schema_names(string input, string expected) =>
        GatewayDbContext.ToSnakeCase(input).ShouldBe(expected);

    [Fact]
    public void Scripts_are_embedded_and_ordered_by_version()
    {
        SchemaMigrator.Scripts.ShouldNotBeEmpty();
        SchemaMigrator.Scripts[0].Version.ShouldBe("0001_merchants");
        SchemaMigrator.Scripts.Select(script => script.Version).ShouldBe(SchemaMigrator.Scripts.Select(script => script.Version).Order(StringComparer.Ordinal));
    }
}
