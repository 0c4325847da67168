namespace Cocoon.Ton.Cells;

/// <summary>The kind of a cell; exotic kinds carry their type in the first data byte.</summary>
public enum CellType
{
    Ordinary = -1,
    PrunedBranch = 1,
    Library = 2,
    MerkleProof = 3,
    MerkleUpdate = 4,
}
