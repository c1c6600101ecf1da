using Devana.Application.Files.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Devana.Api.Infrastructure;

/// <summary>
/// Marks an action that reads a file upload from the request body itself, as a stream.
/// <list type="bullet">
/// <item>Model binding must not read the form first (it would buffer the whole body): the form value
/// providers are removed for the action.</item>
/// <item>Its body limit is not a constant: <see cref="FileUploadLimitConvention"/> gives it
/// <c>Devana:Files:MaxBytes</c> plus <see cref="FileUploadLimitConvention.MultipartAllowance"/>, which
/// <see cref="RequestBodyLimitMiddleware"/> then enforces (413 on a larger <c>Content-Length</c>, and the
/// server's own cut-off for chunked bodies).</item>
/// </list>
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FileUploadAttribute : Attribute, IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var factories = context.ValueProviderFactories;
        factories.RemoveType<FormValueProviderFactory>();
        factories.RemoveType<FormFileValueProviderFactory>();
        factories.RemoveType<JQueryFormValueProviderFactory>();
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}

/// <summary>Adds a <see cref="RequestSizeLimitAttribute"/> sized from the configuration to every <see cref="FileUploadAttribute"/> action.</summary>
public sealed class FileUploadLimitConvention(long maxFileBytes) : IActionModelConvention
{
    /// <summary>Room for the multipart boundaries, part headers and small fields (OpenAI SDKs send <c>purpose</c>).</summary>
    public const long MultipartAllowance = 64 * 1024;

    public long MaxRequestBytes { get; } = maxFileBytes + MultipartAllowance;

    public void Apply(ActionModel action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!action.Attributes.OfType<FileUploadAttribute>().Any())
        {
            return;
        }

        foreach (var selector in action.Selectors)
        {
            selector.EndpointMetadata.Add(new RequestSizeLimitAttribute(MaxRequestBytes));
        }
    }

    public static void Register(MvcOptions mvc, FilesOptions files)
    {
        ArgumentNullException.ThrowIfNull(mvc);
        ArgumentNullException.ThrowIfNull(files);
        mvc.Conventions.Add(new FileUploadLimitConvention(files.MaxBytes));
    }
}
