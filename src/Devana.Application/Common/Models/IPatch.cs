namespace Devana.Application.Common.Models;

/// <summary>
/// A PATCH body: it knows which of its properties the JSON held, so that an absent field (left as it is)
/// is told apart from a null (cleared). The API's JSON reader calls <see cref="MarkPresent"/> for every
/// property it sets.
/// </summary>
public interface IPatch
{
    /// <param name="propertyName">The .NET name of the property.</param>
    void MarkPresent(string propertyName);

    bool IsPresent(string propertyName);
}
