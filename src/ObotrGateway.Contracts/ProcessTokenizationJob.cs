namespace ObotrGateway.Contracts;

/// <summary>
/// One worker of a bulk tokenization job: claim the job's items one at a time until none is left or the slice
/// time is up (then it publishes its own continuation). A job has several; redelivery after a crash is safe.
/// </summary>
public sealed record ProcessTokenizationJob(Guid JobId, int Worker);
