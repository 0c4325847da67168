namespace Cocoon.Ton.Toncenter;

/// <summary>An account's state as toncenter reports it.</summary>
public enum AccountState
{
    /// <summary>No code yet (never deployed, or deleted): toncenter's <c>uninitialized</c>.</summary>
    Uninitialized,
    Active,
    Frozen,
}
