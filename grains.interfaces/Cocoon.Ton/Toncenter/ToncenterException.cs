using System.Net;

namespace Cocoon.Ton.Toncenter;

/// <summary>
/// A toncenter request that failed: the API's own error (<see cref="Error"/>, <see cref="Code"/>), an HTTP failure,
/// or a response that is not toncenter's JSON envelope. <see cref="IsTransient"/> says whether trying later may help.
/// </summary>
public sealed class ToncenterException : Exception
{
    public ToncenterException(string method, string error, int? code, HttpStatusCode? statusCode, bool isTransient, int attempts, Exception? innerException = null)
        : base(Describe(method, error, code, attempts), innerException)
    {
        Method = method;
        Error = error;
        Code = code;
        StatusCode = statusCode;
        IsTransient = isTransient;
        Attempts = attempts;
    }

    /// <summary>The API method, such as <c>getTransactions</c>.</summary>
    public string Method { get; }

    /// <summary>toncenter's <c>error</c> text, or what went wrong on the way.</summary>
    public string Error { get; }

    /// <summary>toncenter's <c>code</c> (its HTTP-like status), when the API answered.</summary>
    public int? Code { get; }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>True for rate limits, server errors, timeouts and network failures: the same request may succeed later.</summary>
    public bool IsTransient { get; }

    /// <summary>How many attempts were made before giving up.</summary>
    public int Attempts { get; }

    private static string Describe(string method, string error, int? code, int attempts)
    {
        var codeText = code is { } c ? $" (code {c})" : string.Empty;
        var attemptsText = attempts > 1 ? $" after {attempts} attempts" : string.Empty;
        return $"toncenter {method} failed{attemptsText}{codeText}: {error}";
    }
}
