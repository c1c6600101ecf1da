using System.Data;
using Devana.Domain.Conversations;
using Devana.Domain.Quotas;
using Devana.Domain.Usage;
using Devana.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Devana.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The completion writes' statements as each provider gets them, built from its model without a database:
/// this is what runs where no server can be started here (SQL Server), so its SQL text and parameter binding
/// are checked on the model itself (<see cref="RowWriterTests{TFixture}"/> runs them on SQLite and PostgreSQL).
/// </summary>
public sealed class RowStatementTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Providers => new() { "sqlite", "sqlserver", "postgres" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Inserts_NameEveryColumnOnce_AndBindEveryValue(string provider)
    {
        using var db = Context(provider);
        var (conversation, hold, record) = Rows();

        var messages = Bind(db, RowStatement.Insert(db, typeof(Message)), conversation.Messages.Last());
        messages.Sql.Should().StartWith($"INSERT INTO {Quoted(provider, "Messages")} (");
        messages.Sql.Should().Contain(Quoted(provider, "PromptTokens"), "the owned usage is stored in the message's row");
        messages.Parameters.Should().HaveCount(ColumnCount(db, typeof(Message)));
        messages.Parameters.Select(p => p.ParameterName).Should().OnlyHaveUniqueItems();
        messages.Parameters.Should().Contain(p => Equals(p.Value, "Completed"), "the status is stored by name");

        var conversations = Bind(db, RowStatement.Insert(db, typeof(Conversation)), conversation);
        conversations.Parameters.Should().HaveCount(ColumnCount(db, typeof(Conversation)));
        conversations.Parameters.Should().Contain(p => p.Value is string && ((string)p.Value).Contains("\"team\":\"blue\"", StringComparison.Ordinal), "the metadata is stored as JSON");

        var holds = Bind(db, RowStatement.Insert(db, typeof(QuotaHold)), hold);
        holds.Parameters.Should().HaveCount(ColumnCount(db, typeof(QuotaHold)));

        var ledger = Bind(db, RowStatement.Insert(db, typeof(UsageRecord)), record);
        ledger.Sql.Should().NotContain($"({Quoted(provider, "id")},", "the ledger's key is the database's to generate");
        ledger.Parameters.Should().HaveCount(ColumnCount(db, typeof(UsageRecord)) - 1);
        ledger.Parameters.Should().Contain(p => Equals(p.Value, "completed"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void UpdatesAndDeletes_AreKeyedAndChecked(string provider)
    {
        using var db = Context(provider);
        var (conversation, hold, _) = Rows();

        var update = Bind(db, RowStatement.Update(db, typeof(Conversation), [nameof(Conversation.LastSequence), "_metadata"], nameof(Conversation.LastSequence)), conversation, expected: 3);
        update.Sql.Should().Be(
            $"UPDATE {Quoted(provider, "Conversations")} SET {Quoted(provider, "LastSequence")} = {Placeholder(0)}, {Quoted(provider, "Metadata")} = {Placeholder(1)} " +
            $"WHERE {Quoted(provider, "Id")} = {Placeholder(2)} AND {Quoted(provider, "LastSequence")} = {Placeholder(3)}");
        update.Parameters.Select(p => p.Value).Should().Equal(conversation.LastSequence, """{"team":"blue"}""", conversation.Id, 3);

        var delete = Bind(db, RowStatement.Delete(db, typeof(QuotaHold)), hold.Id);
        delete.Sql.Should().Be($"DELETE FROM {Quoted(provider, "quota_holds")} WHERE {Quoted(provider, "id")} = {Placeholder(0)}");
        delete.Parameters.Single().Value.Should().Be(hold.Id);
    }

    [Fact]
    public void WhatTheBuilderDoesNotSupport_IsRefused_NotGuessed()
    {
        using var db = Context("sqlite");

        FluentActions.Invoking(() => RowStatement.Update(db, typeof(Conversation), ["NoSuchProperty"], null)).Should().Throw<InvalidOperationException>().WithMessage("*no mapped property NoSuchProperty*");
        FluentActions.Invoking(() => RowStatement.Insert(db, typeof(string))).Should().Throw<InvalidOperationException>().WithMessage("*not an entity*");
        FluentActions.Invoking(() => RowStatement.Update(db, typeof(Conversation), [], null)).Should().Throw<ArgumentException>();
    }

    private static DevanaDbContext Context(string provider) => provider switch
    {
        "sqlite" => new SqliteDesignTimeFactory().CreateDbContext([]),
        "sqlserver" => new SqlServerDesignTimeFactory().CreateDbContext([]),
        _ => new PostgresDesignTimeFactory().CreateDbContext([]),
    };

    /// <summary>The provider's quoting: SQL Server brackets; PostgreSQL (Npgsql) quotes only names that need it, here the ones with capitals.</summary>
    private static string Quoted(string provider, string name) => provider switch
    {
        "sqlserver" => $"[{name}]",
        "postgres" when name.All(c => !char.IsUpper(c)) => name,
        _ => $"\"{name}\"",
    };

    private static string Placeholder(int index) => $"@p{index}";

    /// <summary>The columns of the entity's table that belong to it (an owned type's included).</summary>
    private static int ColumnCount(DbContext db, Type type)
    {
        var entityType = db.Model.FindEntityType(type)!;
        return entityType.GetTableMappings().Single().Table.Columns.Count();
    }

    /// <summary>The statement's text, and its parameters bound to a command of the provider (no connection is opened).</summary>
    private static (string Sql, List<System.Data.Common.DbParameter> Parameters) Bind(DevanaDbContext db, RowStatement statement, object row, object? expected = null)
    {
        using var command = db.Database.GetDbConnection().CreateCommand();
        var parameters = statement.Parameters.Select(p => p.Create(command, row, expected)).ToList();
        parameters.Should().OnlyContain(p => p.Direction == ParameterDirection.Input);
        return (statement.Sql, parameters);
    }

    private static (Conversation Conversation, QuotaHold Hold, UsageRecord Record) Rows()
    {
        var conversation = Conversation.Start("ws_rows", "usr_alice", "support", new Dictionary<string, string> { ["team"] = "blue" }, Now);
        var turn = conversation.AddTurns([(MessageRole.User, "hello")], "echo", ["file_a"], Now);
        conversation.RecordAnswers(turn, [new AnswerChoice(0, "Hi.", "stop", new TokenUsage(3, 1))], "echo", 5, Now);
        var charges = QuotaPolicy.ForCompletion("ws_rows", QuotaLimits.Create(0, 0, 5000, 0), "usr_alice", null, "support", null).Reserve(100, Now);
        var hold = QuotaHold.Take(new QuotaHoldSubject("ws_rows", "usr_alice", "support", "echo", conversation.Id, turn.Id, null, 3), "instance-1", charges, Now, TimeSpan.FromMinutes(2));
        var record = UsageRecord.Record("ws_rows", "usr_alice", "support", "echo", conversation.Id, 3, 1, 5, UsageOutcome.Completed, Now);
        return (conversation, hold, record);
    }
}
