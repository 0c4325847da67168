using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Cocoon.Ton.DevChain;

namespace Cocoon.DevChain.Tests;

/// <summary>
/// Builds signed wallet v4r2 externals with silo/devchain/tools/sign-transfer.js (@ton/ton), so these tests can send
/// real externals before the C# wallet code exists.
/// </summary>
internal static class SignTransferTool
{
    public sealed record SignedTransfer(string WalletAddress, string Boc, string Hash);

    public static string NewSeed() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    public static async Task<SignedTransfer> SignAsync(string seedHex, int seqno, string to, long amount, string? comment, long validUntil)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = DevChainProcess.FindDevChainDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var args = new List<string>
        {
            "tools/sign-transfer.js", "--seed", seedHex, "--seqno", seqno.ToString(CultureInfo.InvariantCulture), "--to", to,
            "--amount", amount.ToString(CultureInfo.InvariantCulture), "--valid-until", validUntil.ToString(CultureInfo.InvariantCulture),
        };
        if (comment is not null)
        {
            args.AddRange(["--comment", comment]);
        }

        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, "sign-transfer failed: " + await stderr);
        using var json = JsonDocument.Parse(await stdout);
        var root = json.RootElement;
        return new SignedTransfer(root.GetProperty("address").GetString()!, root.GetProperty("boc").GetString()!, root.GetProperty("hash").GetString()!);
    }
}
