using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;

namespace ObotrGateway.UnitTests.CardData;

public sealed class DataProtectorTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static DataProtector Protector(string key, params string[] previous) =>
        new(Options.Create(new DataProtectionOptions { Key = key, PreviousKeys = [.. previous], FingerprintKey = NewKey() }));

    [Fact]
    public void Protect_then_Unprotect_returns_the_plaintext_and_hides_it_in_the_blob()
    {
        var protector = Protector(NewKey());
        var plaintext = Encoding.UTF8.GetBytes("5204731600014821");

        var blob = protector.Protect("vault", plaintext, "DWSPMC1");

        Encoding.UTF8.GetString(blob).ShouldNotContain("5204731600014821");
        protector.Unprotect("vault", blob, "DWSPMC1").ShouldBe(plaintext);
    }

    [Fact]
    public void Unprotect_with_other_associated_data_or_purpose_fails()
    {
        var protector = Protector(NewKey());
        var blob = protector.Protect("vault", [1, 2, 3], "DWSPMC1");

        protector.Unprotect("vault", blob, "DWSPMC2").ShouldBeNull();
        protector.Unprotect("idempotency", blob, "DWSPMC1").ShouldBeNull();
    }

    [Fact]
    public void Unprotect_of_a_tampered_blob_fails()
    {
        var protector = Protector(NewKey());
        var blob = protector.Protect("vault", [1, 2, 3]);
        blob[^1] ^= 0x01;

        protector.Unprotect("vault", blob).ShouldBeNull();
    }

    [Fact]
    public void After_rotation_old_blobs_still_decrypt_and_new_ones_use_the_new_key()
    {
        var oldKey = NewKey();
        var oldBlob = Protector(oldKey).Protect("vault", [7]);
        var rotated = Protector(NewKey(), oldKey);

        rotated.Unprotect("vault", oldBlob).ShouldBe(new byte[] { 7 });
        Protector(oldKey).Unprotect("vault", rotated.Protect("vault", [8])).ShouldBeNull();
    }

    [Fact]
    public void Options_reject_keys_that_are_not_256_bits()
    {
        var options = new DataProtectionOptions { Key = Convert.ToBase64String(new byte[16]), FingerprintKey = "not base64!" };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, true);

        results.Select(result => result.ErrorMessage).ShouldBe(
            ["DataProtection:Key must be base64 of exactly 32 bytes.", "DataProtection:FingerprintKey must be base64 of exactly 32 bytes."],
            ignoreOrder: true);
    }
}
