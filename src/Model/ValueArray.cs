using System.Collections;
using System.Runtime.CompilerServices;

namespace Verify.Model;

/// <summary>
/// An immutable array compared and hashed by its contents. States are stored by the million, so the
/// model's collections must be values: two states built by different paths are equal when their
/// contents are, and hashing never depends on object identity.
/// </summary>
[CollectionBuilder(typeof(ValueArray), nameof(ValueArray.Create))]
public readonly struct ValueArray<T> : IEquatable<ValueArray<T>>, IReadOnlyList<T>
{
    private readonly T[]? items;

    /// <summary>Takes ownership of <paramref name="items"/>: the caller must not change it afterwards.</summary>
    internal ValueArray(T[] items) => this.items = items;

    public static ValueArray<T> Empty => default;

    public int Count => items?.Length ?? 0;
    public int Length => Count;
    // Not (items ?? [])[index]: in code shared between reference types, the empty array is a runtime lookup that keeps
    // the indexer from being inlined. An empty (default) array throws what indexing an empty array throws.
    public T this[int index] => items is null ? NoItems() : items[index];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T NoItems() => throw new IndexOutOfRangeException("Index was outside the bounds of the array.");
    public ReadOnlySpan<T> AsSpan() => items;

    /// <summary>A copy the caller may change, e.g. inside a transition, before freezing it again.</summary>
    public T[] ToArray() => items is null ? [] : (T[])items.Clone();

    /// <summary>Whether an element equals <paramref name="value"/> (by <see cref="EqualityComparer{T}.Default"/>, as
    /// <c>Enumerable.Contains</c>), without boxing this struct or allocating an enumerator.</summary>
    public bool Contains(T value)
    {
        if (items is null) return false;
        var cmp = EqualityComparer<T>.Default;
        foreach (var x in items)
            if (cmp.Equals(x, value)) return true;
        return false;
    }

    /// <summary>Whether both share one array (or are both empty): equal without comparing, and the same storage.</summary>
    internal bool SameArray(ValueArray<T> other) => ReferenceEquals(items ?? [], other.items ?? []) || (Count == 0 && other.Count == 0);

    public ValueArray<T> SetItem(int index, T value)
    {
        var copy = ToArray();
        copy[index] = value;
        return new ValueArray<T>(copy);
    }

    public bool Equals(ValueArray<T> other)
    {
        var a = items ?? [];
        var b = other.items ?? [];
        if (a.Length != b.Length) return false;
        var cmp = EqualityComparer<T>.Default;
        for (var i = 0; i < a.Length; i++)
            if (!cmp.Equals(a[i], b[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Count);
        if (items is not null)
            foreach (var x in items) h.Add(x);
        return h.ToHashCode();
    }

    public static bool operator ==(ValueArray<T> a, ValueArray<T> b) => a.Equals(b);
    public static bool operator !=(ValueArray<T> a, ValueArray<T> b) => !a.Equals(b);

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(items ?? [])).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "[" + string.Join(", ", this) + "]";
}

public static class ValueArray
{
    public static ValueArray<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());
    public static ValueArray<T> From<T>(IEnumerable<T> items) => new(items.ToArray());
    /// <summary>Freezes an array the caller built and will not touch again (no copy).</summary>
    public static ValueArray<T> Own<T>(T[] items) => new(items);
    public static ValueArray<T> Repeat<T>(T value, int count) => new(Enumerable.Repeat(value, count).ToArray());
}
