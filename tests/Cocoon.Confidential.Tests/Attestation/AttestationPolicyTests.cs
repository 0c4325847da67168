using Cocoon.Confidential.Attestation;

namespace Cocoon.Confidential.Tests.Attestation;

public sealed class AttestationPolicyTests
{
    [Fact]
    public void The_documented_json_form_loads()
    {
        var policy = AttestationPolicy.FromJson("""
            {
              // comments are allowed
              "minimumTcbStatus": "SWHardeningNeeded",
              "allowedImageHashes": ["04B3AFD931D28680AF91A15B09D672C40AD6B141F7F9089A8D67D595220F7436"],
              "requireReportDataBinding": true,
              "maxEvidenceAgeSeconds": 86400,
              "allowSimulated": false
            }
            """u8);
        Assert.Equal(TcbStatus.SWHardeningNeeded, policy.MinimumTcbStatus);
        Assert.Contains("04b3afd931d28680af91a15b09d672c40ad6b141f7f9089a8d67d595220f7436", policy.AllowedImageHashes!);
        Assert.True(policy.RequireReportDataBinding);
        Assert.Equal(TimeSpan.FromDays(1), policy.MaxEvidenceAge);
        Assert.Null(policy.AllowedMrTd);
    }

    [Theory]
    [InlineData("""{"minimumTcbStatus":"Great"}""")]
    [InlineData("""{"allowedMrTd":["abcd"]}""")]
    [InlineData("""{"unknownKey":1}""")]
    [InlineData("""{"maxEvidenceAgeSeconds":-1}""")]
    [InlineData("not json")]
    public void Bad_policies_are_a_format_error(string json)
    {
        Assert.Throws<FormatException>(() => AttestationPolicy.FromJson(System.Text.Encoding.UTF8.GetBytes(json)));
    }
}
