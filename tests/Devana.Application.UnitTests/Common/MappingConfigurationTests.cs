using AutoMapper;
using Devana.Application.Clients;
using Devana.Application.Users;
using Devana.Domain.Clients;
using Devana.Domain.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Application.UnitTests.Common;

public sealed class MappingConfigurationTests
{
    private static readonly DateTimeOffset s_createdAt = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static IMapper Mapper()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAutoMapper(cfg => cfg.AddMaps(typeof(DependencyInjection).Assembly));
        return services.BuildServiceProvider().GetRequiredService<IMapper>();
    }

    [Fact]
    public void Configuration_IsValid()
    {
        Mapper().ConfigurationProvider.AssertConfigurationIsValid();
    }

    [Fact]
    public void ApiClient_MapsToClientDtoWithUnixSeconds()
    {
        var client = ApiClient.Register("ws_1", "Batch", ClientType.Confidential, ["files"], ["https://a.example.com/cb"], s_createdAt);

        var dto = Mapper().Map<ClientDto>(client);

        dto.Should().BeEquivalentTo(new { client.Id, Object = "client", client.ClientId, Name = "Batch", Type = ClientType.Confidential, Scopes = new[] { "files" }, RedirectUris = new[] { "https://a.example.com/cb" }, CreatedAt = s_createdAt.ToUnixTimeSeconds() });
    }

    [Fact]
    public void User_MapsToUserDtoWithoutSecrets()
    {
        var user = User.Register("ws_1", "a@example.com", "Ada", UserRole.Admin, s_createdAt);
        user.SetPasswordHash("hash");

        var dto = Mapper().Map<UserDto>(user);

        dto.Should().BeEquivalentTo(new { user.Id, Object = "user", Email = "a@example.com", Name = "Ada", Role = UserRole.Admin, CreatedAt = s_createdAt.ToUnixTimeSeconds() });
    }
}
