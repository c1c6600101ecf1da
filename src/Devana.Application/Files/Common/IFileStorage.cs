namespace Devana.Application.Files.Common;

/// <summary>
/// Where uploaded bytes live. The storage chooses each object's name (its key); the uploader's file name is
/// never part of it.
/// </summary>
public interface IFileStorage
{
    /// <summary>
    /// Copies <paramref name="content"/> to a new object and returns its key. When anything fails (the
    /// stream's own size check included) nothing is left behind.
    /// </summary>
    Task<string> SaveAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>The object's bytes, as a seekable stream the caller disposes.</summary>
    /// <exception cref="FileNotFoundException">No object has this key.</exception>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the object; nothing happens when it is already gone.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
