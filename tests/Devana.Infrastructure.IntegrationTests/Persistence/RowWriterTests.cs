using System.Data.Common;
using Devana.Application.Common.Interfaces;
using Devana.Domain.Conversations;
using Devana.Domain.Quotas;
using Devana.Domain.Usage;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Devana.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The rows the completion writes store with their own statements (<see cref="IRowWriter"/>) on each database:
/// column for column what <c>SaveChanges</c> stores for the same entity, an update that names its columns and
/// meets its concurrency check, a delete by key, and clear failures.
/// </summary>
public abstract class RowWriterTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : DatabaseFixture
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 15, 42, 123, TimeSpan.Zero);

    protected TFixture Fixture { get; } = fixture;

    [SkippableFact]
    public async Task Insert_StoresEveryColumn_AsSaveChangesStoresIt()
    {
        // The same conversation twice (owned usage, tool calls, file ids, metadata, a failed turn and nulls
        // included): one written by SaveChanges, one by the row writer.
        var (bySaveChanges, byRows) = (Turns(), Turns());
        var (recordA, recordB) = (Record(bySaveChanges.WorkspaceId), Record(byRows.WorkspaceId));
        var (holdA, holdB) = (Hold(bySaveChanges), Hold(byRows));

        await using (var scope = Fixture.CreateScope())
        {
            var db = Db(scope);
            db.Conversations.Add(bySaveChanges);
            db.UsageRecords.Add(recordA);
            db.QuotaHolds.Add(holdA);
            await db.SaveChangesAsync();
        }

        await InTransactionAsync(async (rows, token) =>
        {
            await rows.InsertAsync(byRows, token);
            foreach (var message in byRows.Messages)
            {
                await rows.InsertAsync(message, token);
            }

            await rows.InsertAsync(recordB, token);
            await rows.InsertAsync(holdB, token);
        });

        // Keys and the ids that point at them differ; every other column is the same value, as the database holds it.
        string[] ids = ["Id", "ConversationId", "WorkspaceId", "id", "workspace_id", "conversation_id", "message_id"];
        (await RowsAsync("Messages", "ConversationId", byRows.Id, ids)).Should().BeEquivalentTo(
            await RowsAsync("Messages", "ConversationId", bySaveChanges.Id, ids), o => o.WithStrictOrdering());
        (await RowsAsync("Conversations", "Id", byRows.Id, ids)).Should().BeEquivalentTo(await RowsAsync("Conversations", "Id", bySaveChanges.Id, ids));
        (await RowsAsync("usage_records", "workspace_id", byRows.WorkspaceId, ids)).Should().BeEquivalentTo(
            await RowsAsync("usage_records", "workspace_id", bySaveChanges.WorkspaceId, ids));
        (await RowsAsync("quota_holds", "conversation_id", byRows.Id, ids)).Should().BeEquivalentTo(
            await RowsAsync("quota_holds", "conversation_id", bySaveChanges.Id, ids));

        // And EF Core reads it back as the entity that was written.
        await using var read = Fixture.CreateScope();
        var stored = await Db(read).Conversations.AsNoTracking().Include(c => c.Messages).SingleAsync(c => c.Id == byRows.Id);
        stored.Should().BeEquivalentTo(byRows, o => o.Excluding(c => c.Messages));
        stored.Messages.Should().BeEquivalentTo(byRows.Messages);
        stored.Metadata.Should().Equal(byRows.Metadata);
        (await Db(read).QuotaHolds.AsNoTracking().SingleAsync(h => h.Id == holdB.Id)).Should().BeEquivalentTo(holdB);
        (await Db(read).UsageRecords.AsNoTracking().SingleAsync(r => r.WorkspaceId == byRows.WorkspaceId)).Should().BeEquivalentTo(recordB, o => o.Excluding(r => r.Id));
    }

    [SkippableFact]
    public async Task Update_WritesTheNamedColumns_WhileTheCheckHolds()
    {
        var conversation = Conversation.Start(NewId("ws"), "usr_alice", "support", null, Now);
        var first = conversation.AddTurns([(MessageRole.User, "first")], "echo", [], Now);
        conversation.RecordAnswers(first, [new AnswerChoice(0, "Answered.", "stop", new TokenUsage(3, 1))], "echo", 5, Now);
        await InTransactionAsync((rows, token) => InsertAsync(rows, conversation, token));
        var readAt = conversation.LastSequence;

        var turn = conversation.AddTurns([(MessageRole.User, "second")], "echo", [], Now.AddMinutes(1));
        conversation.Rename("renamed in memory only", Now.AddMinutes(1));
        await InTransactionAsync((rows, token) => rows.UpdateAsync(
            conversation,
            [nameof(Conversation.LastSequence), nameof(Conversation.MessageCount), nameof(Conversation.UpdatedAt)],
            new ConcurrencyCheck(nameof(Conversation.LastSequence), readAt),
            token));

        await using (var scope = Fixture.CreateScope())
        {
            var stored = await Db(scope).Conversations.AsNoTracking().SingleAsync(c => c.Id == conversation.Id);
            stored.LastSequence.Should().Be(conversation.LastSequence);
            stored.MessageCount.Should().Be(conversation.MessageCount);
            stored.UpdatedAt.Should().Be(conversation.UpdatedAt);
            stored.Title.Should().Be("first", "only the named columns are written");
        }

        // A second writer that read the conversation at the same sequence finds it moved on: nothing changes.
        var stale = () => InTransactionAsync((rows, token) => rows.UpdateAsync(
            conversation,
            [nameof(Conversation.Title)],
            new ConcurrencyCheck(nameof(Conversation.LastSequence), readAt),
            token));
        await stale.Should().ThrowAsync<DbUpdateConcurrencyException>().WithMessage("*Conversations*LastSequence*");
        await using (var scope = Fixture.CreateScope())
        {
            (await Db(scope).Conversations.AsNoTracking().SingleAsync(c => c.Id == conversation.Id)).Title.Should().Be("first");
        }

        // At the sequence it now holds, the title and the metadata (a JSON column behind a field) go in.
        conversation.SetMetadata(new Dictionary<string, string> { ["stage"] = "two" }, Now.AddMinutes(2));
        await InTransactionAsync((rows, token) => rows.UpdateAsync(
            conversation,
            [nameof(Conversation.Title), "_metadata", nameof(Conversation.UpdatedAt)],
            new ConcurrencyCheck(nameof(Conversation.LastSequence), conversation.LastSequence),
            token));
        await using (var scope = Fixture.CreateScope())
        {
            var stored = await Db(scope).Conversations.AsNoTracking().SingleAsync(c => c.Id == conversation.Id);
            stored.Title.Should().Be("renamed in memory only");
            stored.Metadata.Should().Equal(new Dictionary<string, string> { ["stage"] = "two" });
            stored.UpdatedAt.Should().Be(Now.AddMinutes(2));
        }

        var gone = () => InTransactionAsync((rows, token) => rows.UpdateAsync(turn, [nameof(Message.Status)], null, token));
        await gone.Should().ThrowAsync<DbUpdateConcurrencyException>("the second turn's row was never inserted");
    }

    [SkippableFact]
    public async Task Delete_ByKey_SaysWhetherThereWasARow()
    {
        var conversation = Turns();
        var hold = Hold(conversation);
        await InTransactionAsync((rows, token) => rows.InsertAsync(hold, token));

        var deleted = await InTransactionAsync((rows, token) => rows.DeleteAsync<QuotaHold>(hold.Id, token));
        var again = await InTransactionAsync((rows, token) => rows.DeleteAsync<QuotaHold>(hold.Id, token));

        deleted.Should().BeTrue();
        again.Should().BeFalse("the row was already gone");
        await using var scope = Fixture.CreateScope();
        (await Db(scope).QuotaHolds.AnyAsync(h => h.Id == hold.Id)).Should().BeFalse();
    }

    [SkippableFact]
    public async Task Writes_OutsideATransaction_AreRefused_AndAFailingStatement_ThrowsDbUpdateException()
    {
        var conversation = Turns();
        await using var scope = Fixture.CreateScope();
        var db = Db(scope);

        var outside = () => db.Rows.InsertAsync(conversation, CancellationToken.None);
        await outside.Should().ThrowAsync<InvalidOperationException>().WithMessage("*inside a transaction*");

        await InTransactionAsync((rows, token) => rows.InsertAsync(conversation, token));
        var duplicate = () => InTransactionAsync((rows, token) => rows.InsertAsync(conversation, token));
        (await duplicate.Should().ThrowAsync<DbUpdateException>().WithMessage("Writing a row of Conversations failed*"))
            .Which.InnerException.Should().BeAssignableTo<DbException>();

        var orphan = Turns().Messages.First();
        var foreignKey = () => InTransactionAsync((rows, token) => rows.InsertAsync(orphan, token));
        await foreignKey.Should().ThrowAsync<DbUpdateException>("its conversation does not exist");
    }

    [SkippableFact]
    public async Task ARolledBackTransaction_KeepsNoneOfItsRows()
    {
        await using (Fixture.CreateScope())
        {
            // Skips here where the database cannot run.
        }

        var conversation = Turns();
        var write = () => InTransactionAsync<bool>(async (rows, token) =>
        {
            await InsertAsync(rows, conversation, token);
            throw new InvalidOperationException("The caller's work failed after its rows.");
        });

        await write.Should().ThrowAsync<InvalidOperationException>();
        await using var scope = Fixture.CreateScope();
        (await Db(scope).Conversations.AnyAsync(c => c.Id == conversation.Id)).Should().BeFalse();
        (await Db(scope).Messages.AnyAsync(m => m.ConversationId == conversation.Id)).Should().BeFalse();
    }

    private static DevanaDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<DevanaDbContext>();

    private static string NewId(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");

    private static async Task InsertAsync(IRowWriter rows, Conversation conversation, CancellationToken cancellationToken)
    {
        await rows.InsertAsync(conversation, cancellationToken);
        foreach (var message in conversation.Messages)
        {
            await rows.InsertAsync(message, cancellationToken);
        }
    }

    /// <summary>A conversation whose rows use every kind of column: a failed turn, an answered one with usage and tool calls, files, metadata.</summary>
    private static Conversation Turns()
    {
        var conversation = Conversation.Start(NewId("ws"), "usr_alice", "support", new Dictionary<string, string> { ["team"] = "blue", ["ticket"] = "4711" }, Now);
        var failed = conversation.AddTurns([(MessageRole.System, "Be brief."), (MessageRole.User, "héllo ✓")], "gpt-4o", ["file_a", "file_b"], Now);
        conversation.FailTurn(failed, "The LLM call failed.", Now.AddSeconds(1));
        var answered = conversation.AddTurns([(MessageRole.User, "again")], "gpt-4o", [], Now.AddSeconds(2));
        conversation.RecordAnswers(
            answered,
            [new AnswerChoice(0, "", "tool_calls", new TokenUsage(120, 7), ToolCalls: [new ToolCall("call_1", "lookup", """{"q":"x"}""")]),
             new AnswerChoice(1, "Hi.", "stop", new TokenUsage(120, 2))],
            "gpt-4o",
            345,
            Now.AddSeconds(3));
        return conversation;
    }

    private static UsageRecord Record(string workspaceId) =>
        UsageRecord.Record(workspaceId, "usr_alice", "support", "echo", "conv_x", 100, 20, 5, UsageOutcome.Failed, Now, endUser: null);

    /// <summary>A hold on the turn's last message; its charges (stored as JSON) name one workspace, so that two holds differ only in their ids.</summary>
    private static QuotaHold Hold(Conversation conversation)
    {
        var charges = QuotaPolicy.ForCompletion("ws_holds", QuotaLimits.Create(0, 0, 5000, 0), "usr_alice", null, "support", null).Reserve(300, Now);
        var subject = new QuotaHoldSubject(conversation.WorkspaceId, "usr_alice", "support", "echo", conversation.Id, conversation.Messages.Last().Id, null, 120);
        return QuotaHold.Take(subject, "instance-1", charges, Now, TimeSpan.FromMinutes(2));
    }

    private Task InTransactionAsync(Func<IRowWriter, CancellationToken, Task> work) =>
        InTransactionAsync(async (rows, token) =>
        {
            await work(rows, token);
            return true;
        });

    private async Task<T> InTransactionAsync<T>(Func<IRowWriter, CancellationToken, Task<T>> work)
    {
        await using var scope = Fixture.CreateScope();
        var db = Db(scope);
        return await db.InTransactionAsync(token => work(db.Rows, token), CancellationToken.None);
    }

    /// <summary>The rows of <paramref name="table"/> where <paramref name="column"/> is <paramref name="value"/>, as column → value, without the <paramref name="ignored"/> columns; in key order.</summary>
    private async Task<List<Dictionary<string, object?>>> RowsAsync(string table, string column, string value, string[] ignored)
    {
        await using var scope = Fixture.CreateScope();
        var db = Db(scope);
        var sql = db.GetService<ISqlGenerationHelper>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        var order = table == "Messages" ? $" ORDER BY {sql.DelimitIdentifier("Sequence")}, {sql.DelimitIdentifier("ChoiceIndex")}" : string.Empty;
        command.CommandText = $"SELECT * FROM {sql.DelimitIdentifier(table)} WHERE {sql.DelimitIdentifier(column)} = @value{order}";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@value";
        parameter.Value = value;
        command.Parameters.Add(parameter);
        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (!ignored.Contains(reader.GetName(i), StringComparer.Ordinal))
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }
            }

            rows.Add(row);
        }

        rows.Should().NotBeEmpty("{0} has rows for {1}", table, value);
        return rows;
    }
}

public sealed class SqliteRowWriterTests(SqliteDatabaseFixture fixture) : RowWriterTests<SqliteDatabaseFixture>(fixture);

public sealed class PostgresRowWriterTests(PostgresDatabaseFixture fixture) : RowWriterTests<PostgresDatabaseFixture>(fixture);

public sealed class SqlServerRowWriterTests(SqlServerDatabaseFixture fixture) : RowWriterTests<SqlServerDatabaseFixture>(fixture);
