using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace Devana.Domain.Common;

/// <summary>
/// Who may do something with a <typeparamref name="T"/>, written once as an expression over the entity and
/// the <see cref="Actor"/>. Aggregates check it in memory (<see cref="Allows"/>) and queries hand the same
/// expression to the database (<see cref="For"/>), so the two forms cannot drift apart.
/// </summary>
public sealed class AccessRule<T>
{
    private readonly Expression<Func<T, Actor, bool>> _rule;
    private readonly Func<T, Actor, bool> _allows;

    public AccessRule(Expression<Func<T, Actor, bool>> rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _rule = rule;
        _allows = rule.Compile();
    }

    public bool Allows(T entity, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _allows(entity, actor);
    }

    /// <summary>The rule for one actor, as a query filter.</summary>
    /// <remarks>
    /// The actor is read through a field of a box, the way a lambda reads a captured variable, so EF Core
    /// sends its values as parameters and keeps one query plan for every actor (a constant would make one each).
    /// </remarks>
    public Expression<Func<T, bool>> For(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var captured = Expression.Field(Expression.Constant(new StrongBox<Actor>(actor)), nameof(StrongBox<Actor>.Value));
        return Expression.Lambda<Func<T, bool>>(Rebind(_rule.Body, _rule.Parameters[1], captured), _rule.Parameters[0]);
    }

    /// <summary>This rule, and <paramref name="condition"/> on the entity.</summary>
    public AccessRule<T> And(Expression<Func<T, bool>> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var body = Expression.AndAlso(_rule.Body, Rebind(condition.Body, condition.Parameters[0], _rule.Parameters[0]));
        return new AccessRule<T>(Expression.Lambda<Func<T, Actor, bool>>(body, _rule.Parameters));
    }

    /// <summary>This rule, or <paramref name="other"/>.</summary>
    public AccessRule<T> Or(AccessRule<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var otherBody = Rebind(Rebind(other._rule.Body, other._rule.Parameters[0], _rule.Parameters[0]), other._rule.Parameters[1], _rule.Parameters[1]);
        return new AccessRule<T>(Expression.Lambda<Func<T, Actor, bool>>(Expression.OrElse(_rule.Body, otherBody), _rule.Parameters));
    }

    private static Expression Rebind(Expression body, ParameterExpression from, Expression to) => new ParameterSwap(from, to).Visit(body);

    private sealed class ParameterSwap(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
