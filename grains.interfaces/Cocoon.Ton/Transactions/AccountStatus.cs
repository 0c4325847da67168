namespace Cocoon.Ton.Transactions;

/// <summary><c>AccountStatus</c>: acc_state_uninit$00, frozen$01, active$10, nonexist$11.</summary>
public enum AccountStatus
{
    Uninitialized = 0,
    Frozen = 1,
    Active = 2,
    NonExistent = 3,
}
