namespace NotebookMl.Training.Validation;

/// <summary>
/// NumPy's default <c>argsort</c> (kind "quicksort": an introsort, not stable) for 64-bit integers, step for step as
/// NumPy 1.24's <c>aquicksort</c>: median-of-three partitions, insertion sort for 16 elements or fewer, heapsort past the depth
/// limit. scikit-learn's <c>GroupKFold</c> orders groups by size with it, so equal sizes come out in its order, and the
/// folds match only if the ties do.
/// </summary>
internal static class NumpyArgsort
{
    private const int SmallQuicksort = 15;

    public static int[] Quicksort(long[] v)
    {
        var tosort = Enumerable.Range(0, v.Length).ToArray();
        if (v.Length < 2)
        {
            return tosort;
        }

        var stack = new Stack<(int Left, int Right, int Depth)>();
        int pl = 0, pr = v.Length - 1;
        var depth = MostSignificantBit(v.Length) * 2;
        while (true)
        {
            if (depth < 0)
            {
                Heapsort(v, tosort, pl, pr - pl + 1);
            }
            else
            {
                while (pr - pl > SmallQuicksort)
                {
                    var pm = pl + ((pr - pl) >> 1);
                    if (v[tosort[pm]] < v[tosort[pl]])
                    {
                        Swap(tosort, pm, pl);
                    }

                    if (v[tosort[pr]] < v[tosort[pm]])
                    {
                        Swap(tosort, pr, pm);
                    }

                    if (v[tosort[pm]] < v[tosort[pl]])
                    {
                        Swap(tosort, pm, pl);
                    }

                    var vp = v[tosort[pm]];
                    var pi = pl;
                    var pj = pr - 1;
                    Swap(tosort, pm, pj);
                    while (true)
                    {
                        do
                        {
                            ++pi;
                        }
                        while (v[tosort[pi]] < vp);

                        do
                        {
                            --pj;
                        }
                        while (vp < v[tosort[pj]]);

                        if (pi >= pj)
                        {
                            break;
                        }

                        Swap(tosort, pi, pj);
                    }

                    Swap(tosort, pi, pr - 1);
                    // The larger side waits on the stack.
                    if (pi - pl < pr - pi)
                    {
                        stack.Push((pi + 1, pr, --depth));
                        pr = pi - 1;
                    }
                    else
                    {
                        stack.Push((pl, pi - 1, --depth));
                        pl = pi + 1;
                    }
                }

                for (var pi = pl + 1; pi <= pr; ++pi)
                {
                    var vi = tosort[pi];
                    var value = v[vi];
                    var pj = pi;
                    while (pj > pl && value < v[tosort[pj - 1]])
                    {
                        tosort[pj] = tosort[pj - 1];
                        pj--;
                    }

                    tosort[pj] = vi;
                }
            }

            if (stack.Count == 0)
            {
                return tosort;
            }

            (pl, pr, depth) = stack.Pop();
        }
    }

    /// <summary>NumPy's <c>argsort(kind="heapsort")</c>: the heapsort the quicksort falls back on past its depth limit.</summary>
    public static int[] Heapsort(long[] v)
    {
        var tosort = Enumerable.Range(0, v.Length).ToArray();
        Heapsort(v, tosort, 0, v.Length);
        return tosort;
    }

    // NumPy's aheapsort over tosort[start .. start + n), 1-based inside: build the heap, then take its top n − 1 times.
    private static void Heapsort(long[] v, int[] tosort, int start, int n)
    {
        for (var l = n >> 1; l > 0; --l)
        {
            SiftDown(v, tosort, start, l, n, tosort[start + l - 1]);
        }

        while (n > 1)
        {
            var tmp = tosort[start + n - 1];
            tosort[start + n - 1] = tosort[start];
            n -= 1;
            SiftDown(v, tosort, start, 1, n, tmp);
        }
    }

    // Moves the hole at i down past children larger than tmp's value, then puts tmp there.
    private static void SiftDown(long[] v, int[] tosort, int start, int i, int n, int tmp)
    {
        for (var j = i << 1; j <= n;)
        {
            if (j < n && v[tosort[start + j - 1]] < v[tosort[start + j]])
            {
                j += 1;
            }

            if (!(v[tmp] < v[tosort[start + j - 1]]))
            {
                break;
            }

            tosort[start + i - 1] = tosort[start + j - 1];
            i = j;
            j += j;
        }

        tosort[start + i - 1] = tmp;
    }

    private static int MostSignificantBit(int n)
    {
        var depth = 0;
        while ((n >>= 1) != 0)
        {
            depth++;
        }

        return depth;
    }

    private static void Swap(int[] a, int i, int j) => (a[i], a[j]) = (a[j], a[i]);
}
