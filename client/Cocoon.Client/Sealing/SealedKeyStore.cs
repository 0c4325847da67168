using System.Text;
using Cocoon.Jobs;

namespace Cocoon.Client;

/// <summary>
/// The content keys of the sealed jobs this client sent, by job id, so that running a job id again can open its
/// replayed output. Each process appends to its own owner-only log, <c>keys-YYYYMMDD-PID-RANDOM.log</c>: one write per
/// job, where a file per job cost the client a third of its CPU in the kernel's inode allocation (docs/benchmarks.md).
/// Logs roll each UTC day; a log, or a per-job <c>JOBID.key</c> file of earlier versions (still read), older than the
/// retention is deleted when a log opens.
/// </summary>
/// <remarks>
/// A record is <c>0xC5, id length, id (ASCII), key length, key</c>. A log cut short by a crash ends at its last whole
/// record. Writes are not fsynced, as the per-job files were not: the key is written before the job is sent.
/// </remarks>
public sealed class SealedKeyStore : IDisposable
{
    private const byte RecordMark = 0xC5;
    private const string LogPrefix = "keys-";
    private const string LogSuffix = ".log";
    private const int RecentCapacity = 4_096;
    /// <summary>A log this large rolls before the day ends.</summary>
    private const long MaxLogBytes = 64L << 20;

    private readonly string _folder;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private FileStream? _log;
    private DateOnly _logDay;
    private long _logBytes;

    public SealedKeyStore(string folder, TimeSpan retention, TimeProvider? time = null)
    {
        if (retention <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(retention), retention, "The sealed-key retention must be positive.");
        _folder = folder;
        _retention = retention;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The folder the logs are in.</summary>
    public string Folder => _folder;

    /// <summary>Appends a job's content key to this process's log.</summary>
    /// <exception cref="ArgumentException">The job id is not a valid one, or the key is empty or over 255 bytes.</exception>
    public void Save(string jobId, ReadOnlySpan<byte> key)
    {
        if (!JobIds.IsValid(jobId)) throw new ArgumentException($"'{jobId}' is not a valid job id.", nameof(jobId));
        if (key.IsEmpty || key.Length > byte.MaxValue) throw new ArgumentException($"A content key is 1 to 255 bytes, got {key.Length}.", nameof(key));
        Span<byte> record = stackalloc byte[3 + jobId.Length + key.Length];
        record[0] = RecordMark;
        record[1] = (byte)jobId.Length;
        Encoding.ASCII.GetBytes(jobId, record[2..]);
        record[2 + jobId.Length] = (byte)key.Length;
        key.CopyTo(record[(3 + jobId.Length)..]);
        lock (_gate)
        {
            var log = CurrentLog();
            log.Write(record);
            _logBytes += record.Length;
            Remember(jobId, key.ToArray());
        }
    }

    /// <summary>
    /// The key saved for a job, by this process or another one using the same folder; null when none is kept. Each call
    /// returns a new array, which the caller may wipe.
    /// </summary>
    public byte[]? Find(string jobId)
    {
        if (!JobIds.IsValid(jobId)) return null;
        lock (_gate)
        {
            if (_recent.TryGetValue(jobId, out var recent)) return recent.ToArray();
        }
        var legacy = Path.Combine(_folder, jobId + ".key");
        if (File.Exists(legacy)) return File.ReadAllBytes(legacy);
        if (!Directory.Exists(_folder)) return null;
        // Newest log first: a job id saved twice (sent again as new) opens with its latest key.
        var logs = new DirectoryInfo(_folder).EnumerateFiles(LogPrefix + "*" + LogSuffix)
            .OrderByDescending(f => f.LastWriteTimeUtc).ThenByDescending(f => f.Name, StringComparer.Ordinal);
        foreach (var log in logs)
        {
            if (FindIn(log.FullName, jobId) is { } key) return key;
        }
        return null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private FileStream CurrentLog()
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        if (_log is not null && _logDay == today && _logBytes < MaxLogBytes) return _log;
        _log?.Dispose();
        _log = null;
        Directory.CreateDirectory(_folder);
        var name = $"{LogPrefix}{today:yyyyMMdd}-{Environment.ProcessId}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4))}{LogSuffix}";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        _log = new FileStream(Path.Combine(_folder, name), options);
        _logDay = today;
        _logBytes = 0;
        var cutoff = _time.GetUtcNow().UtcDateTime - _retention;
        var current = _log.Name;
        _ = Task.Run(() => DeleteOlderThan(cutoff, current));
        return _log;
    }

    private void DeleteOlderThan(DateTime cutoffUtc, string current)
    {
        try
        {
            foreach (var file in new DirectoryInfo(_folder).EnumerateFiles())
            {
                var ours = file.Name.StartsWith(LogPrefix, StringComparison.Ordinal) && file.Name.EndsWith(LogSuffix, StringComparison.Ordinal)
                    || file.Name.EndsWith(".key", StringComparison.Ordinal);
                if (!ours || file.FullName == current || file.LastWriteTimeUtc >= cutoffUtc) continue;
                try { file.Delete(); }
                catch (IOException) { } // another client of this folder got there first, or holds it open
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private void Remember(string jobId, byte[] key)
    {
        if (_recent.TryAdd(jobId, key)) _recentOrder.Enqueue(jobId);
        else _recent[jobId] = key;
        while (_recentOrder.Count > RecentCapacity) _recent.Remove(_recentOrder.Dequeue());
    }

    /// <summary>The last key a log holds for the job; the log ends at its last whole record.</summary>
    internal static byte[]? FindIn(string path, string jobId)
    {
        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }

        Span<byte> id = stackalloc byte[jobId.Length];
        Encoding.ASCII.GetBytes(jobId, id);
        byte[]? found = null;
        var at = 0;
        while (at + 2 <= bytes.Length && bytes[at] == RecordMark)
        {
            var idLength = bytes[at + 1];
            var keyAt = at + 2 + idLength + 1;
            if (keyAt > bytes.Length) break;
            var keyLength = bytes[keyAt - 1];
            if (keyLength == 0 || keyAt + keyLength > bytes.Length) break;
            if (bytes.AsSpan(at + 2, idLength).SequenceEqual(id)) found = bytes.AsSpan(keyAt, keyLength).ToArray();
            at = keyAt + keyLength;
        }
        return found;
    }
}
