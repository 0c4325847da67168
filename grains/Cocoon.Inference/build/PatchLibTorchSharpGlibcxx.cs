// An MSBuild task (compiled by RoslynCodeTaskFactory at build time, not part of Cocoon.Inference.dll).
// TorchSharp 0.107's libLibTorchSharp.so was linked against GCC 13's libstdc++ and so requires the version
// GLIBCXX_3.4.32, for one symbol only: std::ios_base_library_init(), which GCC 13's <iostream> references to pull
// in the library's stream initialisation but never calls (there is no relocation against it). Older libstdc++
// (Debian 12 ships GCC 12) lacks that version, and the dynamic loader refuses the whole library. Marking that
// version requirement weak (VER_FLG_WEAK in its Vernaux entry) lets the loader accept the library on such systems,
// and has no effect where the version exists. Only the output copy is patched, never the NuGet cache.
#nullable enable
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchLibTorchSharpGlibcxx : Task
{
    private const string RequiredVersion = "GLIBCXX_3.4.32";
    private const uint ShtRela = 4, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff, ShtDynsym = 11;
    private const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    public string[] LibStdCxxCandidates { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        var systemLib = LibStdCxxCandidates.FirstOrDefault(File.Exists);
        if (systemLib is null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++.so.6 found at the usual paths; libLibTorchSharp.so left as is.");
            return true;
        }
        if (Contains(File.ReadAllBytes(systemLib), Encoding.ASCII.GetBytes(RequiredVersion + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, $"{systemLib} provides {RequiredVersion}; libLibTorchSharp.so needs no patch.");
            return true;
        }
        foreach (var item in Libraries)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var bytes = File.ReadAllBytes(path);
                var outcome = MarkVersionWeak(bytes);
                if (outcome is null)
                    continue; // already weak, or does not require the version
                // A fresh file, not an in-place write: the output copy may be a hard link into the NuGet cache.
                var temp = path + ".patching";
                File.WriteAllBytes(temp, bytes);
                File.Delete(path);
                File.Move(temp, path);
                Log.LogMessage(MessageImportance.High,
                    $"Cocoon: {systemLib} lacks {RequiredVersion}; marked that requirement weak in {path} ({outcome}).");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Log.LogWarning($"Cocoon: could not patch {path} for {RequiredVersion}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    // Returns a description of what was done, or null when nothing needed doing.
    private static string? MarkVersionWeak(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        var shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        long Section(int i) => shoff + (long)i * shentsize;
        uint Type(int i) => BitConverter.ToUInt32(elf, (int)Section(i) + 4);
        long Offset(int i) => (long)BitConverter.ToUInt64(elf, (int)Section(i) + 0x18);
        long Size(int i) => (long)BitConverter.ToUInt64(elf, (int)Section(i) + 0x20);
        int Link(int i) => (int)BitConverter.ToUInt32(elf, (int)Section(i) + 0x28);
        uint Info(int i) => BitConverter.ToUInt32(elf, (int)Section(i) + 0x2C);

        var verneed = Enumerable.Range(0, shnum).FirstOrDefault(i => Type(i) == ShtGnuVerneed);
        if (verneed == 0)
            return null;
        var strtab = Offset(Link(verneed));
        var entry = Offset(verneed);
        for (var n = 0; n < Info(verneed); n++)
        {
            int count = BitConverter.ToUInt16(elf, (int)entry + 2);
            var aux = entry + BitConverter.ToUInt32(elf, (int)entry + 8);
            for (var k = 0; k < count; k++)
            {
                var flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                var versionIndex = BitConverter.ToUInt16(elf, (int)aux + 6);
                var name = CString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                if (name == RequiredVersion)
                {
                    if ((flags & VerFlgWeak) != 0)
                        return null;
                    var relocated = CountRelocationsAgainst(elf, versionIndex, shnum, Type, Offset, Size, Link);
                    if (relocated > 0)
                        throw new InvalidDataException($"{relocated} relocation(s) bind symbols of {RequiredVersion}; a weak version alone would leave them unresolved");
                    BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, (int)aux + 4);
                    return $"version index {versionIndex}, no relocation binds its symbols";
                }
                aux += BitConverter.ToUInt32(elf, (int)aux + 12);
            }
            entry += BitConverter.ToUInt32(elf, (int)entry + 12);
        }
        return null;
    }

    // Relocations whose symbol carries the given version index: those would need a definition at load time.
    private static int CountRelocationsAgainst(byte[] elf, ushort versionIndex, int shnum,
        Func<int, uint> type, Func<int, long> offset, Func<int, long> size, Func<int, int> link)
    {
        var versym = Enumerable.Range(0, shnum).FirstOrDefault(i => type(i) == ShtGnuVersym);
        if (versym == 0)
            return 0;
        var count = 0;
        foreach (var rela in Enumerable.Range(0, shnum).Where(i => type(i) == ShtRela && type(link(i)) == ShtDynsym))
        {
            for (long r = offset(rela); r < offset(rela) + size(rela); r += 24)
            {
                var symbol = (long)(BitConverter.ToUInt64(elf, (int)r + 8) >> 32);
                if (symbol != 0 && (BitConverter.ToUInt16(elf, (int)(offset(versym) + symbol * 2)) & 0x7fff) == versionIndex)
                    count++;
            }
        }
        return count;
    }

    private static string CString(byte[] bytes, long start)
    {
        var end = (int)start;
        while (bytes[end] != 0)
            end++;
        return Encoding.ASCII.GetString(bytes, (int)start, end - (int)start);
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
                j++;
            if (j == needle.Length)
                return true;
        }
        return false;
    }
}
