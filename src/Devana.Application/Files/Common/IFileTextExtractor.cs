namespace Devana.Application.Files.Common;

/// <summary>Extracts the text of a stored file.</summary>
public interface IFileTextExtractor
{
    /// <summary>
    /// The text of <paramref name="content"/> (a seekable stream) read as <paramref name="format"/>.
    /// </summary>
    /// <exception cref="TextExtractionException">The file is of the format but cannot be read (corrupt, encrypted, malformed, no text); the message says why.</exception>
    /// <exception cref="Devana.Application.Common.Exceptions.UnsupportedFileTypeException">The file is not of the format at all (a ZIP that is no Word document).</exception>
    Task<string> ExtractAsync(Stream content, FileFormat format, CancellationToken cancellationToken);
}

/// <summary>The text of a file could not be extracted. The message is shown to the uploader as the file's <c>error</c>.</summary>
public sealed class TextExtractionException(string message, Exception? innerException = null) : Exception(message, innerException);
