namespace Cocoon.Ton.Toncenter;

/// <summary>A transaction's logical time and hash (base64, as toncenter prints it): the paging cursor of getTransactions.</summary>
public sealed record TransactionId(ulong Lt, string Hash)
{
    /// <summary>The id toncenter reports for an account that has no transaction yet.</summary>
    public bool IsEmpty => Lt == 0;

    /// <summary>The hash bytes (32), accepting standard or URL-safe base64.</summary>
    public byte[] HashBytes() => ToncenterJson.DecodeBase64(Hash);
}
