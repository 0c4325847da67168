namespace Cocoon.Confidential.Attestation;

/// <summary>
/// Intel's TCB statuses, best first; a policy's minimum accepts a status at or above it in this order.
/// <see cref="Simulated"/> is this project's own: evidence from the simulated TEE has no Intel TCB.
/// </summary>
public enum TcbStatus
{
    UpToDate = 0,
    SWHardeningNeeded = 1,
    ConfigurationNeeded = 2,
    ConfigurationAndSWHardeningNeeded = 3,
    OutOfDate = 4,
    OutOfDateConfigurationNeeded = 5,
    Revoked = 6,
    Simulated = 7,
}

public static class TcbStatusNames
{
    public static TcbStatus Parse(string value) => value switch
    {
        "UpToDate" => TcbStatus.UpToDate,
        "SWHardeningNeeded" => TcbStatus.SWHardeningNeeded,
        "ConfigurationNeeded" => TcbStatus.ConfigurationNeeded,
        "ConfigurationAndSWHardeningNeeded" => TcbStatus.ConfigurationAndSWHardeningNeeded,
        "OutOfDate" => TcbStatus.OutOfDate,
        "OutOfDateConfigurationNeeded" => TcbStatus.OutOfDateConfigurationNeeded,
        "Revoked" => TcbStatus.Revoked,
        "Simulated" => TcbStatus.Simulated,
        _ => throw new FormatException($"unknown TCB status '{value}'"),
    };
}
