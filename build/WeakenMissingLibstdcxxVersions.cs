// MSBuild task (compiled by RoslynCodeTaskFactory, see TorchSharpNativeFix.targets): writes a copy of an ELF
// shared library in which every version requirement on libstdc++.so.6 that the system's libstdc++ does not
// define is marked weak (VER_FLG_WEAK), so the dynamic loader accepts the library on an older libstdc++.
// It refuses (fails the build with the reason) when a relocation actually uses a symbol of such a version,
// because then marking it weak would only move the failure to run time. It does nothing (returns the input
// path) when nothing is missing. It never writes to the input file. Little-endian ELF64 only.
#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenMissingLibstdcxxVersions : Task
{
    const uint ShtRela = 4, ShtDynsym = 11, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;
    const ushort VerFlgWeak = 0x2;

    /// <summary>The library to check, e.g. the package's libLibTorchSharp.so.</summary>
    [Required] public string Library { get; set; } = "";

    /// <summary>Where to write the patched copy when one is needed.</summary>
    [Required] public string PatchedLibrary { get; set; } = "";

    /// <summary>The path to use: <see cref="PatchedLibrary"/> if a patch was needed, else <see cref="Library"/>.</summary>
    [Output] public string Result { get; set; } = "";

    public override bool Execute()
    {
        Result = Library;
        string? system = FindSystemLibstdcxx();
        if (system is null)
        {
            Log.LogMessage(MessageImportance.High, $"TorchSharp native fix: no system libstdc++.so.6 found; {Library} left as is");
            return true;
        }
        byte[] systemBytes = File.ReadAllBytes(system);
        byte[] elf = File.ReadAllBytes(Library);
        var missing = new List<string>();
        var sections = Sections(elf);
        var verneed = sections.Single(s => s.Type == ShtVerneed);
        var dynstr = sections[(int)verneed.Link];
        long vn = (long)verneed.Offset;
        var weakened = new Dictionary<ushort, string>();
        while (true)
        {
            ushort count = U16(elf, vn + 2);
            string file = Str(elf, dynstr, U32(elf, vn + 4));
            long aux = vn + U32(elf, vn + 8);
            for (int i = 0; i < count; i++)
            {
                string name = Str(elf, dynstr, U32(elf, aux + 8));
                if (file == "libstdc++.so.6" && !Defines(systemBytes, name))
                {
                    ushort flags = U16(elf, aux + 4);
                    elf[aux + 4] = (byte)(flags | VerFlgWeak); // little-endian: the flag bit is in the low byte
                    weakened[(ushort)(U16(elf, aux + 6) & 0x7fff)] = name;
                }
                uint nextAux = U32(elf, aux + 12);
                if (nextAux == 0) break;
                aux += nextAux;
            }
            uint next = U32(elf, vn + 12);
            if (next == 0) break;
            vn += next;
        }
        if (weakened.Count == 0)
        {
            Log.LogMessage(MessageImportance.Low, $"TorchSharp native fix: {system} has every version {Library} needs; nothing to do");
            return true;
        }
        string? used = UsedSymbol(elf, sections, weakened);
        if (used is not null)
        {
            Log.LogError($"TorchSharp native fix: {Library} needs {used} from libstdc++, which {system} lacks; " +
                         "marking the version weak cannot help. Install a newer libstdc++ (GCC 13 or later).");
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(PatchedLibrary)!);
        if (!File.Exists(PatchedLibrary) || !File.ReadAllBytes(PatchedLibrary).SequenceEqual(elf))
        {
            string temp = PatchedLibrary + ".tmp";
            File.WriteAllBytes(temp, elf);
            if (File.Exists(PatchedLibrary)) File.Delete(PatchedLibrary);
            File.Move(temp, PatchedLibrary);
        }
        Log.LogMessage(MessageImportance.High,
            $"TorchSharp native fix: {system} lacks {string.Join(", ", weakened.Values)}; using {PatchedLibrary} with that requirement marked weak");
        Result = PatchedLibrary;
        return true;
    }

    // The name of an undefined symbol that a relocation refers to and whose version is one we weakened, or null.
    static string? UsedSymbol(byte[] elf, List<Section> sections, Dictionary<ushort, string> weakened)
    {
        var dynsym = sections.Single(s => s.Type == ShtDynsym);
        var versym = sections.Single(s => s.Type == ShtVersym);
        var symstr = sections[(int)dynsym.Link];
        foreach (var rela in sections.Where(s => s.Type == ShtRela && sections[(int)s.Link].Type == ShtDynsym))
        {
            for (ulong r = 0; r < rela.Size; r += 24)
            {
                ulong info = U64(elf, (long)(rela.Offset + r + 8));
                ulong sym = info >> 32;
                if (sym == 0) continue;
                ushort version = (ushort)(U16(elf, (long)(versym.Offset + sym * 2)) & 0x7fff);
                if (weakened.TryGetValue(version, out string? name))
                    return Str(elf, symstr, U32(elf, (long)(dynsym.Offset + sym * 24))) + "@" + name;
            }
        }
        return null;
    }

    // A library defines a version when its name appears as a NUL-terminated string (it is in .dynstr).
    static bool Defines(byte[] library, string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes("\0" + version + "\0");
        for (int i = 0; i + needle.Length <= library.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && library[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    // The libstdc++.so.6 the dynamic loader would pick: from `ldconfig -p`, else the usual places.
    static string? FindSystemLibstdcxx()
    {
        foreach (string ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" }.Where(File.Exists))
        {
            try
            {
                var start = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false };
                using var process = Process.Start(start)!;
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                foreach (string line in output.Split('\n'))
                {
                    string trimmed = line.Trim();
                    int arrow = trimmed.IndexOf("=> ", StringComparison.Ordinal);
                    if (trimmed.StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && trimmed.Contains("x86-64") && arrow > 0)
                        return trimmed.Substring(arrow + 3);
                }
            }
            catch (Exception) { }
        }
        return new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
    }

    sealed class Section
    {
        public Section(uint type, ulong offset, ulong size, uint link) { Type = type; Offset = offset; Size = size; Link = link; }
        public uint Type { get; }
        public ulong Offset { get; }
        public ulong Size { get; }
        public uint Link { get; }
    }

    static List<Section> Sections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        ulong shoff = U64(elf, 0x28);
        ushort shentsize = U16(elf, 0x3a), shnum = U16(elf, 0x3c);
        var list = new List<Section>();
        for (int i = 0; i < shnum; i++)
        {
            long h = (long)shoff + i * shentsize;
            list.Add(new Section(U32(elf, h + 4), U64(elf, h + 0x18), U64(elf, h + 0x20), U32(elf, h + 0x28)));
        }
        return list;
    }

    static string Str(byte[] elf, Section strtab, uint offset)
    {
        int start = (int)(strtab.Offset + offset);
        int end = Array.IndexOf(elf, (byte)0, start);
        return Encoding.ASCII.GetString(elf, start, end - start);
    }

    static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, (int)at);
    static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, (int)at);
    static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, (int)at);
}
