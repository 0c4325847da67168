using Cocoon.Hosting;

namespace Cocoon.Silo.Hosting;

/// <summary>
/// Refuses to start with a secret that group or others may read: every file in the data directory's <c>secrets/</c>
/// (dev account key, deposit wallet mnemonic, API keys) and the dev CA's private keys, plus a configured mnemonic file.
/// </summary>
public static class SecretsCheck
{
    public static IReadOnlyList<string> Problems(string home, string? mnemonicFile = null)
    {
        var files = new List<string>();
        if (Directory.Exists(CocoonHome.Secrets(home))) files.AddRange(Directory.GetFiles(CocoonHome.Secrets(home)));
        var ca = Path.Combine(home, "dev-ca");
        if (Directory.Exists(ca)) files.AddRange(Directory.GetFiles(ca, "*key*"));
        if (mnemonicFile is not null && File.Exists(mnemonicFile)) files.Add(mnemonicFile);
        var problems = new List<string>();
        foreach (var file in files.Distinct())
        {
            try
            {
                Security.SecretFiles.RequirePrivate(file, "secret");
            }
            catch (Security.InsecureSecretFileException e)
            {
                problems.Add(e.Message);
            }
        }
        return problems;
    }
}
