using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Sensing.Signal.Kernels;

namespace Sensing.Signal.Filters;

/// <summary>
/// A <see cref="BiquadCascade"/> run as one linear system eight points at a time: each block's outputs and next state
/// are sums of its inputs and its starting state times fixed columns, so the only chain from one block to the next
/// is the state's few multiply-adds, where the cascade's recursion waits on every output in turn.
/// </summary>
/// <remarks>
/// <para>The columns are the cascade's own responses (to a unit input at each point of a block, and to a unit in each
/// state), derived from its sections. Every sum adds the inputs' terms, then the states', one fused multiply-add at a
/// time in that order; the vector path does the same in each lane, so it equals the scalar reference bit for bit.</para>
/// <para>Blocks are aligned to the stream's start. A block left incomplete at the end of a call keeps its starting
/// state and its inputs, and is summed again whole when the rest arrives; an output's column for a later input is
/// exactly 0, so the outputs already given are the same, and the outputs do not depend on how the stream is cut.</para>
/// </remarks>
internal sealed class BlockedFilter
{
    private const int Block = 8;
    private readonly BiquadCascade _cascade; // derives the columns, and the steady state a stream starts in
    private readonly KernelWidth _width;     // the block path: 512 or 256 bits for two sections, else the scalar reference
    private readonly int _states;
    private readonly double[] _toOutput; // [column * Block + point]; columns: the block's inputs, then the states
    private readonly double[] _toState;  // [column * states + state]
    private readonly double[] _state;    // at the start of the current block
    private readonly double[] _next;
    private readonly double[] _inputs = new double[Block]; // the current block's inputs so far, zeros after
    private int _filled;

    public BlockedFilter(Biquad[] sections, bool vectorised)
    {
        var cascade = _cascade = new BiquadCascade(sections);
        _width = !vectorised || sections.Length != 2 ? KernelWidth.Scalar
            : KernelDriver.MaxWidth >= KernelWidth.V512 && Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? KernelWidth.V512
            : KernelDriver.MaxWidth >= KernelWidth.V256 && Fma.IsSupported && Vector256.IsHardwareAccelerated ? KernelWidth.V256
            : KernelWidth.Scalar;
        _states = 2 * sections.Length;
        _toOutput = new double[(Block + _states) * Block];
        _toState = new double[(Block + _states) * _states];
        _state = new double[_states];
        _next = new double[_states];
        var unit = new double[_states];
        for (var column = 0; column < Block + _states; column++)
        {
            Array.Clear(unit);
            if (column >= Block)
            {
                unit[column - Block] = 1;
            }

            cascade.SetState(unit);
            for (var point = 0; point < Block; point++)
            {
                _toOutput[(column * Block) + point] = cascade.Process(point == column ? 1 : 0);
            }

            cascade.CopyState(_toState.AsSpan(column * _states, _states));
        }
    }

    /// <summary>Starts a stream in the steady state of a constant <paramref name="value"/>, as <see cref="BiquadCascade.Reset"/>.</summary>
    public void Reset(double value)
    {
        _cascade.Reset(value);
        _cascade.CopyState(_state);
        Array.Clear(_inputs);
        _filled = 0;
    }

    /// <summary>Filters <paramref name="input"/> into <paramref name="output"/>, which may be the same memory.</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException($"The output ({output.Length}) is shorter than the input ({input.Length}).", nameof(output));
        }

        var i = 0;
        if (_filled > 0)
        {
            i = Math.Min(Block - _filled, input.Length);
            Take(input[..i], output);
        }

        i = _width switch
        {
            KernelWidth.V512 => ProcessVector<Width512>(input, output, i),
            KernelWidth.V256 => ProcessVector<Width256>(input, output, i),
            _ => i,
        };

        for (; i + Block <= input.Length; i += Block)
        {
            Take(input.Slice(i, Block), output[i..]);
        }

        Take(input[i..], output[i..]);
    }

    // Adds points to the current block and writes their outputs; a completed block moves the state on.
    private void Take(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var from = _filled;
        for (var k = 0; k < input.Length; k++)
        {
            _inputs[from + k] = input[k];
        }

        _filled += input.Length;
        for (var point = from; point < _filled; point++)
        {
            output[point - from] = (float)Sum(_toOutput, Block, point);
        }

        if (_filled < Block)
        {
            return;
        }

        for (var s = 0; s < _states; s++)
        {
            _next[s] = Sum(_toState, _states, s);
        }

        _next.CopyTo(_state, 0);
        Array.Clear(_inputs);
        _filled = 0;
    }

    // One row of the block's sums: the inputs' terms, then the states', one fused multiply-add at a time.
    private double Sum(double[] columns, int rows, int row)
    {
        var sum = 0.0;
        for (var k = 0; k < Block; k++)
        {
            sum = Math.FusedMultiplyAdd(_inputs[k], columns[(k * rows) + row], sum);
        }

        for (var j = 0; j < _states; j++)
        {
            sum = Math.FusedMultiplyAdd(_state[j], columns[((Block + j) * rows) + row], sum);
        }

        return sum;
    }

    // Whole blocks from i on, for two sections (four states): the state in a 4-lane vector, each block's outputs and
    // next state summed by the width's vectors.
    private int ProcessVector<TWidth>(ReadOnlySpan<float> input, Span<float> output, int i)
        where TWidth : struct, IBlockWidth
    {
        ref var o = ref MemoryMarshal.GetArrayDataReference(_toOutput);
        ref var t = ref MemoryMarshal.GetArrayDataReference(_toState);
        var state = Vector256.Create(_state[0], _state[1], _state[2], _state[3]);
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        for (; i + Block <= input.Length; i += Block)
        {
            state = TWidth.SumBlock(ref Unsafe.Add(ref src, i), ref o, ref t, state, ref Unsafe.Add(ref dst, i));
        }

        (_state[0], _state[1], _state[2], _state[3]) = (state[0], state[1], state[2], state[3]);
        return i;
    }

    /// <summary>One block's sums on vectors of one width, each lane the scalar row's chain in the same order.</summary>
    private interface IBlockWidth
    {
        /// <summary>Writes the block's eight outputs from its inputs <paramref name="x"/> and returns the next state.</summary>
        static abstract Vector256<double> SumBlock(ref float x, ref double toOutput, ref double toState, Vector256<double> state, ref float y);
    }

    // AVX-512: the outputs in one 8-lane vector.
    private readonly struct Width512 : IBlockWidth
    {
        public static Vector256<double> SumBlock(ref float x, ref double toOutput, ref double toState, Vector256<double> state, ref float y)
        {
            var outputs = Vector512<double>.Zero;
            var next = Vector256<double>.Zero;
            for (var k = 0; k < Block; k++)
            {
                double value = Unsafe.Add(ref x, k);
                outputs = Vector512.FusedMultiplyAdd(Vector512.Create(value), Vector512.LoadUnsafe(ref toOutput, (nuint)(k * Block)), outputs);
                next = Vector256.FusedMultiplyAdd(Vector256.Create(value), Vector256.LoadUnsafe(ref toState, (nuint)(k * 4)), next);
            }

            for (var j = 0; j < 4; j++)
            {
                var sj = state.GetElement(j);
                outputs = Vector512.FusedMultiplyAdd(Vector512.Create(sj), Vector512.LoadUnsafe(ref toOutput, (nuint)((Block + j) * Block)), outputs);
                next = Vector256.FusedMultiplyAdd(Vector256.Create(sj), Vector256.LoadUnsafe(ref toState, (nuint)((Block + j) * 4)), next);
            }

            Avx512F.ConvertToVector256Single(outputs).StoreUnsafe(ref y);
            return next;
        }
    }

    // AVX2 with FMA: the outputs in two 4-lane vectors, narrowed to floats as the scalar cast does.
    private readonly struct Width256 : IBlockWidth
    {
        public static Vector256<double> SumBlock(ref float x, ref double toOutput, ref double toState, Vector256<double> state, ref float y)
        {
            var low = Vector256<double>.Zero;
            var high = Vector256<double>.Zero;
            var next = Vector256<double>.Zero;
            for (var k = 0; k < Block; k++)
            {
                var value = Vector256.Create((double)Unsafe.Add(ref x, k));
                low = Vector256.FusedMultiplyAdd(value, Vector256.LoadUnsafe(ref toOutput, (nuint)(k * Block)), low);
                high = Vector256.FusedMultiplyAdd(value, Vector256.LoadUnsafe(ref toOutput, (nuint)((k * Block) + 4)), high);
                next = Vector256.FusedMultiplyAdd(value, Vector256.LoadUnsafe(ref toState, (nuint)(k * 4)), next);
            }

            for (var j = 0; j < 4; j++)
            {
                var sj = Vector256.Create(state.GetElement(j));
                low = Vector256.FusedMultiplyAdd(sj, Vector256.LoadUnsafe(ref toOutput, (nuint)((Block + j) * Block)), low);
                high = Vector256.FusedMultiplyAdd(sj, Vector256.LoadUnsafe(ref toOutput, (nuint)(((Block + j) * Block) + 4)), high);
                next = Vector256.FusedMultiplyAdd(sj, Vector256.LoadUnsafe(ref toState, (nuint)((Block + j) * 4)), next);
            }

            Vector256.Narrow(low, high).StoreUnsafe(ref y);
            return next;
        }
    }
}
