using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cocoon.Confidential.Attestation;

namespace Cocoon.Confidential.Simulation;

/// <summary>
/// The simulated TEE's stand-in for Intel's PKI: a dev root CA, a dev PCK certificate (ECDSA P-256, with an Intel-SGX-shaped
/// extension) and the dev attestation key. Verifiers pin the root's key id as a simulated root; only a policy with
/// AllowSimulated accepts what it signs. Persisted as PEM (certificates) and PKCS#8 PEM (keys, mode 0600).
/// </summary>
public sealed class DevCertificateAuthority : IDisposable
{
    public const string RootCertificateFile = "dev-root.crt.pem";
    public const string RootKeyFile = "dev-root.key.pem";
    public const string PckCertificateFile = "dev-pck.crt.pem";
    public const string PckKeyFile = "dev-pck.key.pem";
    public const string AttestationKeyFile = "dev-attestation.key.pem";

    /// <summary>The FMSPC the dev PCK certificate claims; not an Intel platform.</summary>
    public static readonly byte[] DevFmspc = [0x00, 0xC0, 0xC0, 0x00, 0xDE, 0x70];

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private DevCertificateAuthority(X509Certificate2 root, ECDsa rootKey, X509Certificate2 pck, ECDsa pckKey, ECDsa attestationKey)
    {
        RootCertificate = root;
        RootKey = rootKey;
        PckCertificate = pck;
        PckKey = pckKey;
        AttestationKey = attestationKey;
        RootKeyId = Attestation.TrustAnchors.KeyIdOf(root);
    }

    public X509Certificate2 RootCertificate { get; }
    internal ECDsa RootKey { get; }
    public X509Certificate2 PckCertificate { get; }
    internal ECDsa PckKey { get; }
    internal ECDsa AttestationKey { get; }
    /// <summary>What a verifier pins to accept this CA's quotes as simulated.</summary>
    public byte[] RootKeyId { get; }

    /// <summary>Trust anchors that accept Intel and this dev root.</summary>
    public TrustAnchors CreateTrustAnchors() => new([RootKeyId]);

    /// <summary>A fresh CA in memory, valid from a day before <paramref name="time"/>'s now for ten years.</summary>
    public static DevCertificateAuthority Create(TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var notBefore = now.AddDays(-1);
        var notAfter = now.AddYears(10);
        var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Cocoon Dev SGX Root CA, O=Cocoon simulated TEE", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var rootWithKey = rootRequest.CreateSelfSigned(notBefore, notAfter);
        var root = X509CertificateLoader.LoadCertificate(rootWithKey.RawData);

        var pckKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pckRequest = new CertificateRequest("CN=Cocoon Dev PCK Certificate, O=Cocoon simulated TEE", pckKey, HashAlgorithmName.SHA256);
        pckRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        pckRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        pckRequest.CertificateExtensions.Add(new X509Extension(PckExtension.Oid,
            PckExtension.Encode(new byte[16], 0, [0, 0], DevFmspc), false));
        using var signer = X509CertificateLoader.LoadCertificate(root.RawData).CopyWithPrivateKey(rootKey);
        var pck = pckRequest.Create(signer, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return new DevCertificateAuthority(root, rootKey, pck, pckKey, ECDsa.Create(ECCurve.NamedCurves.nistP256));
    }

    /// <summary>Environment variable naming a shared dev CA folder, for silos and clients of one dev cluster.</summary>
    public const string EnvironmentVariable = "COCOON_DEV_CA";

    /// <summary>Where the dev CA lives: the configured folder, else <c>$COCOON_DEV_CA</c>, else <c>dev-ca</c> in the data directory.</summary>
    public static string ResolveFolder(string? configured, string home)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }
        var shared = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(shared) ? Path.Combine(home, "dev-ca") : Path.GetFullPath(shared);
    }

    /// <summary>
    /// Loads the CA from <paramref name="folder"/>, creating and saving one when there is none. Creation is written
    /// beside and renamed into place, so processes of a dev cluster starting together all end up with the same CA.
    /// </summary>
    public static DevCertificateAuthority LoadOrCreate(string folder, TimeProvider? time = null)
    {
        if (File.Exists(Path.Combine(folder, RootCertificateFile)))
        {
            return Load(folder);
        }
        var ca = Create(time);
        if (Directory.Exists(folder))
        {
            ca.Save(folder);
            return ca;
        }
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var staging = full + ".creating-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        ca.Save(staging);
        try
        {
            Directory.Move(staging, full);
            return ca;
        }
        catch (IOException) when (File.Exists(Path.Combine(full, RootCertificateFile)))
        {
            // Another process won the race: use its CA.
            Directory.Delete(staging, recursive: true);
            ca.Dispose();
            return Load(full);
        }
    }

    public static DevCertificateAuthority Load(string folder)
    {
        try
        {
            var root = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, RootCertificateFile)));
            var pck = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, PckCertificateFile)));
            var rootKey = LoadKey(Path.Combine(folder, RootKeyFile));
            var pckKey = LoadKey(Path.Combine(folder, PckKeyFile));
            var attestationKey = LoadKey(Path.Combine(folder, AttestationKeyFile));
            if (!CertificateChain.IsSignedBy(pck, root))
            {
                throw new DevCertificateAuthorityException($"dev PCK certificate in '{folder}' is not signed by the dev root");
            }
            return new DevCertificateAuthority(root, rootKey, pck, pckKey, attestationKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new DevCertificateAuthorityException($"cannot load the dev CA from '{folder}': {e.Message}", e);
        }
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        WriteFile(Path.Combine(folder, RootCertificateFile), RootCertificate.ExportCertificatePem(), secret: false);
        WriteFile(Path.Combine(folder, PckCertificateFile), PckCertificate.ExportCertificatePem(), secret: false);
        WriteFile(Path.Combine(folder, RootKeyFile), RootKey.ExportPkcs8PrivateKeyPem(), secret: true);
        WriteFile(Path.Combine(folder, PckKeyFile), PckKey.ExportPkcs8PrivateKeyPem(), secret: true);
        WriteFile(Path.Combine(folder, AttestationKeyFile), AttestationKey.ExportPkcs8PrivateKeyPem(), secret: true);
    }

    private static void WriteFile(string path, string text, bool secret)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }
        if (secret && !OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to new files: an existing file keeps its mode unless set.
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }

    private static ECDsa LoadKey(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new DevCertificateAuthorityException(
                $"refusing to load '{path}': it is readable or writable by group or others (run: chmod 600 '{path}')");
        }
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }

    public void Dispose()
    {
        RootKey.Dispose();
        PckKey.Dispose();
        AttestationKey.Dispose();
    }
}
