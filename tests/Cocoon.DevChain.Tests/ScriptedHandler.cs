using System.Net;
using System.Text;

namespace Cocoon.DevChain.Tests;

/// <summary>Test double: answers each HTTP request with the next scripted step and records what was asked.</summary>
internal sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] steps) : HttpMessageHandler
{
    private int next;

    public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

    public static Func<HttpRequestMessage, HttpResponseMessage> Json(HttpStatusCode status, string json, TimeSpan? retryAfter = null) => _ =>
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        }

        return response;
    };

    public static Func<HttpRequestMessage, HttpResponseMessage> Text(HttpStatusCode status, string text) =>
        _ => new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "text/html") };

    public static Func<HttpRequestMessage, HttpResponseMessage> Throw(Exception exception) => _ => throw exception;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request, body));
        var step = steps[Math.Min(next, steps.Length - 1)];
        next++;
        return step(request);
    }
}
