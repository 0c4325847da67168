namespace Cocoon.Security;

/// <summary>
/// Marks a grain method of the internal surface (settlement, ledger writes, node control, registry changes):
/// silos may call it, client connections may not. Enforced by the silos' incoming call filter.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Interface, Inherited = true)]
public sealed class InternalOnlyAttribute : Attribute;
