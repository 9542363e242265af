using ObotrGateway.Api.Idempotency;

namespace ObotrGateway.UnitTests.Idempotency;

public sealed class IdempotentOutcomeTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(202)]
    public void IsStored_success_is_always_stored(int status) => IdempotentRequests.IsStored(status, new Dictionary<object, object?>()).ShouldBeTrue();

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(422)]
    public void IsStored_4xx_before_any_network_call_is_not_stored(int status) =>
        IdempotentRequests.IsStored(status, new Dictionary<object, object?>()).ShouldBeFalse();

    [Theory]
    [InlineData(IdempotentRequests.ExecutionStartedKey)]
    [InlineData(IdempotentRequests.SideEffectsKey)]
    public void IsStored_4xx_after_the_operation_started_is_stored(string marker) =>
        IdempotentRequests.IsStored(422, new Dictionary<object, object?> { [marker] = true }).ShouldBeTrue();

    [Fact]
    public void IsStored_5xx_after_only_a_network_call_is_not_stored() =>
        IdempotentRequests.IsStored(503, new Dictionary<object, object?> { [IdempotentRequests.ExecutionStartedKey] = true }).ShouldBeFalse();

    [Fact]
    public void IsStored_5xx_after_an_irreversible_effect_is_stored() =>
        IdempotentRequests.IsStored(500, new Dictionary<object, object?> { [IdempotentRequests.SideEffectsKey] = true }).ShouldBeTrue();
}
