namespace Cocoon.Errors;

/// <summary>
/// An error a caller can act on. <see cref="Code"/> is stable for scripts (the CLI maps it to its exit code and
/// JSON); the message says what happened and what to do.
/// </summary>
[GenerateSerializer, Alias("cocoon.error.v1")]
public class CocoonException : Exception
{
    public CocoonException(string code, string message) : base(message) => Code = code;

    [Id(0)] public string Code { get; private set; }
}

[GenerateSerializer, Alias("cocoon.error.insufficient-funds.v1")]
public sealed class InsufficientFundsException(string accountId, long requiredNano, long availableNano)
    : CocoonException("insufficient_funds",
        $"Account {accountId} has {availableNano} nanoTON available but the job may cost up to {requiredNano}: deposit more or lower max tokens.")
{
    [Id(0)] public string AccountId { get; private set; } = accountId;
    [Id(1)] public long RequiredNano { get; private set; } = requiredNano;
    [Id(2)] public long AvailableNano { get; private set; } = availableNano;
}

[GenerateSerializer, Alias("cocoon.error.unknown-model.v1")]
public sealed class UnknownModelException(string model, IReadOnlyList<string> known)
    : CocoonException("unknown_model", $"Model '{model}' is not served by this network. Known models: {string.Join(", ", known)}.")
{
    [Id(0)] public string Model { get; private set; } = model;
}

[GenerateSerializer, Alias("cocoon.error.invalid-job.v1")]
public sealed class InvalidJobException(string field, string message) : CocoonException("invalid_request", message)
{
    [Id(0)] public string Field { get; private set; } = field;
}

[GenerateSerializer, Alias("cocoon.error.unknown-account.v1")]
public sealed class UnknownAccountException(string accountId)
    : CocoonException("unknown_account", $"Account '{accountId}' has no ledger: deposit to it first.")
{
    [Id(0)] public string AccountId { get; private set; } = accountId;
}

[GenerateSerializer, Alias("cocoon.error.job-access-denied.v1")]
public sealed class JobAccessDeniedException(string jobId)
    : CocoonException("job_access_denied", $"Job '{jobId}' belongs to another account: choose another job id.")
{
    [Id(0)] public string JobId { get; private set; } = jobId;
}

[GenerateSerializer, Alias("cocoon.error.node-unavailable.v1")]
public sealed class NodeUnavailableException(string nodeId, string reason)
    : CocoonException("node_unavailable", $"Node '{nodeId}' is not available: {reason}")
{
    [Id(0)] public string NodeId { get; private set; } = nodeId;
}

[GenerateSerializer, Alias("cocoon.error.node-busy.v1")]
public sealed class NodeBusyException(string nodeId)
    : CocoonException("node_busy", $"Node '{nodeId}' has no room for another job: its queue is full.")
{
    [Id(0)] public string NodeId { get; private set; } = nodeId;
}

[GenerateSerializer, Alias("cocoon.error.registry-rejected.v1")]
public sealed class RegistryRejectedException(string message) : CocoonException("registry_rejected", message);

[GenerateSerializer, Alias("cocoon.error.ledger.v1")]
public sealed class LedgerException(string message) : CocoonException("ledger_conflict", message);

[GenerateSerializer, Alias("cocoon.error.call-refused.v1")]
public sealed class CallRefusedException(string method)
    : CocoonException("call_refused", $"{method} is internal to the network and cannot be called from a client connection: use the public surface (ICocoonClient).")
{
    [Id(0)] public string Method { get; private set; } = method;
}
