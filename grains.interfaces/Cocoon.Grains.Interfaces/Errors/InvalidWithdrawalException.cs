namespace Cocoon.Errors;

/// <summary>A withdrawal the network cannot carry out as asked (amount, address, request id); the message says what to change.</summary>
[GenerateSerializer, Alias("cocoon.error.invalid-withdrawal.v1")]
public sealed class InvalidWithdrawalException(string field, string message) : CocoonException("invalid_withdrawal", message)
{
    [Id(0)] public string Field { get; private set; } = field;
}
