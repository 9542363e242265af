namespace ObotrGateway.Api.CardData;

/// <summary>A card as a merchant sent it. Lives only for one request or job item; never logged (see ToString).</summary>
internal sealed record CardInput(string Pan, int ExpiryMonth, int ExpiryYear, string? SecurityCode, string? CardholderName, BillingAddressInput? BillingAddress)
{
    public override string ToString() => $"card ending {CardValidation.PanSuffix(Pan)}";
}

internal sealed record BillingAddressInput(string? Line1, string? Line2, string? City, string? CountrySubdivision, string? PostalCode, string? Country)
{
    public override string ToString() => nameof(BillingAddressInput); // personal data: never printed
}
