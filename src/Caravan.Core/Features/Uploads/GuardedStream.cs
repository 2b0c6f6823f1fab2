using Caravan.Shared;

namespace Caravan.Features.Uploads;

/// <summary>What one package has inflated so far, across its parts.</summary>
public sealed class UnpackBudget(UploadLimits limits, string fileName)
{
    public UploadLimits Limits { get; } = limits;
    public string FileName { get; } = fileName;
    public long Unpacked { get; set; }
}

/// <summary>
/// A stream read as it inflates (or arrives), counting what it really holds: the bytes of the whole package, the
/// part's ratio to its packed size and, for XML, the length of every tag, text run, comment or CDATA section and the
/// depth of elements. These are the pieces an XML reader keeps whole in memory, so a part that exceeds a limit is
/// refused at the byte where it does, before any reader has built it.
/// </summary>
public sealed class GuardedStream : Stream
{
    private enum State { Text, Open, Bang, StartTag, EndTag, Declaration, Comment, CData, Instruction }

    private readonly Stream _inner;
    private readonly UnpackBudget? _budget;
    private readonly UploadLimits _limits;
    private readonly string _fileName;
    private readonly string _part;
    private readonly long _packed;
    private bool _xml;
    private long _read;
    private State _state = State.Text;
    private long _run;
    private byte _quote;
    private byte _previous;
    private byte _beforePrevious;
    private int _depth;

    /// <param name="packed">The part's packed size (0: no ratio check).</param>
    /// <param name="xml">Whether to check the part as XML.</param>
    public GuardedStream(Stream inner, UploadLimits limits, string fileName, string part, long packed, bool xml,
        UnpackBudget? budget = null)
    {
        _inner = inner;
        _limits = limits;
        _fileName = fileName;
        _part = part;
        _packed = packed;
        _xml = xml;
        _budget = budget;
    }

    /// <summary>Whether the byte being read is text (between tags), not markup: a text run too long is a cell's.</summary>
    public bool InText => _state == State.Text;

    /// <summary>The line being read (1-based), for messages.</summary>
    public int Line { get; private set; } = 1;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        Count(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await _inner.ReadAsync(buffer, ct);
        Count(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private void Count(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return;
        _read += bytes.Length;
        if (_budget is not null)
        {
            _budget.Unpacked += bytes.Length;
            if (_budget.Unpacked > _limits.MaxUnpackedBytes)
                throw Refuse(UploadLimitMessages.UnpackedTooLarge, _fileName, _part,
                    _limits.MaxUnpackedBytes / (1024 * 1024));
        }
        // From the part's first 4 MiB (and past any one token, so that the more telling limit speaks first).
        if (_packed > 0 && _read > Math.Max(4L << 20, 2L * _limits.MaxTokenBytes)
            && _read > _packed * _limits.MaxCompressionRatio)
            throw Refuse(UploadLimitMessages.Ratio, _fileName, _part, _limits.MaxCompressionRatio);
        if (!_xml) return;
        // UTF-16 (a byte order mark first) is not scanned byte by byte: Office writes UTF-8, IATI nearly always.
        if (_read == bytes.Length && bytes.Length >= 2 && (bytes[0], bytes[1]) is (0xFF, 0xFE) or (0xFE, 0xFF))
        {
            _xml = false;
            return;
        }
        Scan(bytes);
    }

    /// <summary>
    /// The bytes through the state machine; runs of text, quoted values, comments and CDATA are skipped to the next
    /// byte that can end them (vectorised), so the scan keeps up with inflation.
    /// </summary>
    private void Scan(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            var skip = _state switch
            {
                State.Text => bytes.IndexOf((byte)'<'),
                State.StartTag or State.Declaration when _quote != 0 => bytes.IndexOf(_quote),
                State.StartTag or State.Declaration => bytes.IndexOfAny((byte)'>', (byte)'"', (byte)'\''),
                State.EndTag or State.Comment or State.CData or State.Instruction => bytes.IndexOf((byte)'>'),
                _ => 0,
            };
            if (skip < 0) skip = bytes.Length;
            if (skip > 0)
            {
                var run = bytes[..skip];
                Line += run.Count((byte)'\n');
                _run += skip;
                if (_run > _limits.MaxTokenBytes)
                    throw Refuse(UploadLimitMessages.Token, _fileName, _part, Line, _limits.MaxTokenBytes / 1024);
                _beforePrevious = skip > 1 ? run[^2] : _previous;
                _previous = run[^1];
                bytes = bytes[skip..];
                if (bytes.Length == 0) return;
            }
            Scan(bytes[0]);
            bytes = bytes[1..];
        }
    }

    private void Scan(byte b)
    {
        if (b == (byte)'\n') Line++;
        _run++;
        switch (_state)
        {
            case State.Text:
                if (b == (byte)'<') { _state = State.Open; _run = 1; }
                break;
            case State.Open:
                _state = b switch
                {
                    (byte)'/' => State.EndTag, (byte)'?' => State.Instruction, (byte)'!' => State.Bang,
                    _ => State.StartTag,
                };
                if (_state == State.StartTag) StartTag(b);
                break;
            case State.Bang:
                _state = b switch { (byte)'-' => State.Comment, (byte)'[' => State.CData, _ => State.Declaration };
                break;
            case State.StartTag:
                StartTag(b);
                break;
            case State.EndTag:
                if (b == (byte)'>') { _depth--; End(); }
                break;
            case State.Declaration:
                if (Quoted(b)) break;
                if (b == (byte)'>') End();
                break;
            case State.Comment:
                if (b == (byte)'>' && _previous == (byte)'-' && _beforePrevious == (byte)'-' && _run > 6) End();
                break;
            case State.CData:
                if (b == (byte)'>' && _previous == (byte)']' && _beforePrevious == (byte)']' && _run > 11) End();
                break;
            case State.Instruction:
                if (b == (byte)'>' && _previous == (byte)'?') End();
                break;
        }
        if (_run > _limits.MaxTokenBytes)
            throw Refuse(UploadLimitMessages.Token, _fileName, _part, Line, _limits.MaxTokenBytes / 1024);
        _beforePrevious = _previous;
        _previous = b;
    }

    private void StartTag(byte b)
    {
        if (Quoted(b) || b != (byte)'>') return;
        if (_previous != (byte)'/' && ++_depth > _limits.MaxDepth)
            throw Refuse(UploadLimitMessages.Depth, _fileName, _part, Line, _limits.MaxDepth);
        End();
    }

    /// <summary>Inside an attribute's quotes a '&gt;' does not end the tag.</summary>
    private bool Quoted(byte b)
    {
        if (_quote != 0)
        {
            if (b == _quote) _quote = 0;
            return true;
        }
        if (b is (byte)'"' or (byte)'\'') { _quote = b; return true; }
        return false;
    }

    private void End()
    {
        _state = State.Text;
        _run = 0;
    }

    private static UploadRefusedException Refuse(MessageCode code, params MessageArg[] args) =>
        new(new Message(code, args));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
