namespace Devana.Application.Common.Models;

/// <summary>
/// A field of a partial update (PATCH): either absent (<see cref="IsSet"/> false, leave the value as it
/// is) or present with a value, which may be null (clear it). The API's JSON converter sets it only for
/// fields the body holds.
/// </summary>
public readonly record struct Optional<T>
{
    public Optional(T value)
    {
        Value = value;
        IsSet = true;
    }

    public bool IsSet { get; }

    /// <summary>The value sent; <c>default</c> when <see cref="IsSet"/> is false.</summary>
    public T Value { get; }

    public T GetValueOrDefault(T current) => IsSet ? Value : current;

    public static implicit operator Optional<T>(T value) => new(value);
}
