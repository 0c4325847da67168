namespace Cocoon.Benchmarks.Load;

/// <summary>Factory for responses, named as in NBomber (<c>Response.Ok()</c>, <c>Response.Fail()</c>).</summary>
public static class Response
{
    public static Response<object> Ok(string statusCode = "", long sizeBytes = 0, string message = "") =>
        new(default, IsError: false, statusCode, message, sizeBytes);

    public static Response<T> Ok<T>(T payload, string statusCode = "", long sizeBytes = 0, string message = "") =>
        new(payload, IsError: false, statusCode, message, sizeBytes);

    public static Response<object> Fail(string statusCode = "", string message = "", long sizeBytes = 0) =>
        new(default, IsError: true, statusCode, message, sizeBytes);

    public static Response<T> Fail<T>(string statusCode = "", string message = "", long sizeBytes = 0, T? payload = default) =>
        new(payload, IsError: true, statusCode, message, sizeBytes);
}
