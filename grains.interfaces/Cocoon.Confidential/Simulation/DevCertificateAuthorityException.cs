namespace Cocoon.Confidential.Simulation;

/// <summary>The dev CA folder cannot be used: a key file others can read, a missing or unreadable file.</summary>
public sealed class DevCertificateAuthorityException(string message, Exception? inner = null) : Exception(message, inner);
