using Devana.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Api.FunctionalTests.Pipeline;

/// <summary>The real host plus <see cref="PipelineProbeController"/>.</summary>
public sealed class PipelineFactory : DevanaApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddControllers().AddApplicationPart(typeof(PipelineProbeController).Assembly));
    }
}
