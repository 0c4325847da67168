namespace Cocoon.Client;

/// <summary>A model the network allows, with how many live nodes serve it now.</summary>
public sealed record CocoonModel(string Name, int Nodes);
