using Cocoon.Cli;
using Cocoon.Cli.Hosting;

namespace Cocoon.Payouts.Tests;

/// <summary>What the payout verbs answer to bad input and to a missing silo, without a network.</summary>
public sealed class PayoutCliTests
{
    private static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CocoonCli.InvokeAsync(args, new CliIO(output, error, TextReader.Null));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Reconcile_without_a_reachable_silo_exits_5_and_says_so()
    {
        var (code, _, error) = await Run("reconcile", "--silo-url", "http://127.0.0.1:1/");
        Assert.Equal(ExitCodes.ClusterUnreachable, code);
        Assert.Contains("cannot reach the silo", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Withdraw_needs_a_request_id()
    {
        var (code, _, error) = await Run("withdraw", "--account", "someone", "--amount-nano", "100", "--to", "0:" + new string('0', 64));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--request-id", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deposit_with_a_missing_mnemonic_file_or_a_bad_address_exits_2()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-mnemonic-" + Guid.NewGuid().ToString("N"));
        var (code, _, error) = await Run("deposit", "--account", "someone", "--mnemonic-file", missing, "--to", "0:" + new string('0', 64), "--amount-nano", "100");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(missing, error, StringComparison.Ordinal);

        var words = Path.GetTempFileName();
        await File.WriteAllTextAsync(words, string.Join(' ', Cocoon.Ton.Crypto.Mnemonic.Generate()));
        try
        {
            (code, _, error) = await Run("deposit", "--account", "someone", "--mnemonic-file", words, "--to", "not-an-address", "--amount-nano", "100");
            Assert.Equal(ExitCodes.Usage, code);
            Assert.StartsWith("error:", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(words);
        }
    }
}
