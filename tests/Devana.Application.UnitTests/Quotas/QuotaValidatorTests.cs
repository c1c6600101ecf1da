using Devana.Application.Quotas.SetQuota;
using Devana.Application.Usage.GetUsageReport;
using Devana.Domain.Quotas;

namespace Devana.Application.UnitTests.Quotas;

public sealed class QuotaValidatorTests
{
    [Fact]
    public void SetQuota_AllAbsent_IsValid() =>
        new SetQuotaCommandValidator().Validate(new SetQuotaCommand(QuotaLevel.Workspace, null, null, null, null, null)).IsValid.Should().BeTrue();

    [Fact]
    public void SetQuota_Zero_IsValid() =>
        new SetQuotaCommandValidator().Validate(new SetQuotaCommand(QuotaLevel.Agent, "a", 0, 0, 0, 0)).IsValid.Should().BeTrue();

    [Fact]
    public void SetQuota_Negative_NamesTheField()
    {
        var result = new SetQuotaCommandValidator().Validate(new SetQuotaCommand(QuotaLevel.Principal, "usr_a", 1, 1, -1, 1));

        result.Errors.Should().ContainSingle().Which.ErrorMessage.Should().StartWith("tokens_per_day must be an integer of at least 0");
    }

    [Theory]
    [InlineData("2026-11-25", null, null, true)]
    [InlineData(null, "2028-02-29", "llm", true)]
    [InlineData("2027-02-29", null, null, false)]
    [InlineData("25/11/2026", null, null, false)]
    [InlineData("1764000000", null, null, false)]
    [InlineData(null, null, "model", false)]
    public void UsageReport_AcceptsIsoDatesAndKnownGroups(string? from, string? to, string? groupBy, bool valid) =>
        new GetUsageReportQueryValidator().Validate(new GetUsageReportQuery(from, to, groupBy)).IsValid.Should().Be(valid);
}
