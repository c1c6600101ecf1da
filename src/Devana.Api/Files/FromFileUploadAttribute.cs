using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Devana.Api.Files;

/// <summary>
/// Binds the parameter with <see cref="UploadFileCommandBinder"/>. Its source is <see cref="BindingSource.Special"/>,
/// like a <see cref="CancellationToken"/>'s, so the OpenAPI document does not list it as a parameter: the
/// request body is described by <see cref="Infrastructure.FileUploadRequestBodyTransformer"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class FromFileUploadAttribute : ModelBinderAttribute
{
    public FromFileUploadAttribute()
        : base(typeof(UploadFileCommandBinder))
    {
        BindingSource = BindingSource.Special;
    }
}
