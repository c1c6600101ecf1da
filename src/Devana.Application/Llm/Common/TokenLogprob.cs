namespace Devana.Application.Llm.Common;

/// <summary>
/// One output token's log probability, with the most likely alternatives, as an adapter that receives them
/// from its upstream hands them over (in <c>ChatResponse.AdditionalProperties</c> under <see cref="Key"/>).
/// </summary>
public sealed record TokenLogprob(string Token, double Logprob, IReadOnlyList<int>? Bytes, IReadOnlyList<TokenLogprob> TopLogprobs)
{
    public const string Key = "devana.logprobs";
}
