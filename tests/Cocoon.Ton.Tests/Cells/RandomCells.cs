using System.Buffers.Binary;
using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Tests.Cells;

/// <summary>Random cell DAGs (shared sub-cells, exotic pruned, library and Merkle cells) from a seed.</summary>
internal static class RandomCells
{
    public static Cell Build(int seed)
    {
        var random = new Random(seed);
        var pool = new List<Cell>();
        var count = random.Next(1, 40);
        for (var i = 0; i < count; i++)
        {
            pool.Add(NextCell(random, pool));
        }

        return pool[^1];
    }

    private static Cell NextCell(Random random, List<Cell> pool)
    {
        var kind = random.Next(20);
        if (kind == 0)
        {
            return Pruned(random);
        }

        if (kind == 1)
        {
            var library = new byte[33];
            random.NextBytes(library);
            library[0] = 2;
            return new CellBuilder().StoreBytes(library).Build(exotic: true);
        }

        if (kind == 2 && pool.Count > 0)
        {
            // A Merkle proof over an earlier cell: type 3, the child's level-0 hash and depth.
            var child = pool[random.Next(pool.Count)];
            if (child.Depth < Cell.MaxDepth - 1)
            {
                return new CellBuilder().StoreUInt(3, 8).StoreBytes(child.GetHash(0)).StoreUInt((ulong)child.GetDepth(0), 16)
                    .StoreRef(child).Build(exotic: true);
            }
        }

        var builder = new CellBuilder();
        var bits = random.Next(0, Cell.MaxBits + 1);
        var data = new byte[(bits + 7) / 8];
        random.NextBytes(data);
        builder.StoreBits(data, 0, bits);
        var refs = pool.Count == 0 ? 0 : random.Next(0, Cell.MaxRefs + 1);
        for (var i = 0; i < refs; i++)
        {
            // Bias towards recent cells so trees get deep, and reuse cells so they become DAGs.
            var index = Math.Max(0, pool.Count - 1 - (int)Math.Abs(random.NextDouble() * random.NextDouble() * pool.Count));
            builder.StoreRef(pool[index]);
        }

        return builder.Build();
    }

    private static Cell Pruned(Random random)
    {
        var mask = random.Next(1, 8);
        var hashes = System.Numerics.BitOperations.PopCount((uint)mask);
        var data = new byte[2 + hashes * 34];
        random.NextBytes(data);
        data[0] = 1;
        data[1] = (byte)mask;
        for (var i = 0; i < hashes; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2 + hashes * 32 + i * 2), (ushort)random.Next(0, 1000));
        }

        return new CellBuilder().StoreBytes(data).Build(exotic: true);
    }
}
