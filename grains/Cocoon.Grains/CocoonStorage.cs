namespace Cocoon.Grains;

/// <summary>The grain storage provider every Cocoon grain uses; the host registers it (SQLite, PostgreSQL or memory).</summary>
public static class CocoonStorage
{
    public const string Name = "cocoon";
}
