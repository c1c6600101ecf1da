using AutoMapper;
using AutoMapper.Internal;
using Devana.Application.Clients.Common;
using Devana.Application.Users.Common;
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

    /// <summary>
    /// The recursion advisory of AutoMapper below 15.1.4 needs a map that recurses through deep or cyclic
    /// graphs (ADR-001). Devana's maps are flat entity-to-DTO maps: no map reaches itself again through the
    /// maps it uses, and a map that uses another one, and the one it uses, set a MaxDepth.
    /// </summary>
    [Fact]
    public void Maps_NeverRecurse_AndEveryNestingMapIsBounded()
    {
        var typeMaps = Mapper().ConfigurationProvider.Internal().GetAllTypeMaps().ToList();
        typeMaps.Should().NotBeEmpty();
        IEnumerable<TypeMap> Nested(TypeMap map) => map.PropertyMaps
            .SelectMany(property => typeMaps.Where(other => other.SourceType == property.SourceType && other.DestinationType == property.DestinationType));

        foreach (var map in typeMaps)
        {
            var nested = Nested(map).ToList();
            if (nested.Count > 0)
            {
                map.MaxDepth.Should().BePositive($"{map.SourceType.Name} → {map.DestinationType.Name} uses other maps");
                nested.Should().OnlyContain(inner => inner.MaxDepth > 0, $"the maps {map.SourceType.Name} uses are bounded too");
            }

            var seen = new HashSet<TypeMap>();
            var pending = new Stack<TypeMap>(nested);
            while (pending.TryPop(out var next))
            {
                next.Should().NotBe(map, $"{map.SourceType.Name} → {map.DestinationType.Name} must not reach itself again");
                if (seen.Add(next))
                {
                    foreach (var deeper in Nested(next))
                    {
                        pending.Push(deeper);
                    }
                }
            }
        }

        // Today no map nests (a message builds its usage itself: MaxDepth on the message map dropped its
        // file_ids and tool_calls, which the conversation tests read back); a map that starts nesting must be bounded.
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
