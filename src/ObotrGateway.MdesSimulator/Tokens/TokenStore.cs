using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Hosting;
using ObotrGateway.MdesSimulator.TestCards;

namespace ObotrGateway.MdesSimulator.Tokens;

internal sealed record TaskRecord(string TokenRequestorId, string TaskId, string? TokenUniqueReference, DateTimeOffset CreatedAt, bool Failed = false);

/// <summary>
/// In-memory token state behind one lock: operations are short and a single lock makes multi-token changes atomic.
/// Bounded: beyond <see cref="SimulatorOptions.MaxTokens"/> the oldest token is forgotten (ADR 0202).
/// </summary>
internal sealed class TokenStore(IOptions<SimulatorOptions> options)
{
    private readonly Dictionary<string, Token> _byTur = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Token> _byTokenNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Token>> _byPan = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _cardContracts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Token> _byComment = new(StringComparer.Ordinal);
    private long _lastCommentNumber;
    private readonly Dictionary<(string Trid, string TaskId), TaskRecord> _tasks = [];
    private readonly Queue<string> _insertionOrder = new();
    private readonly Queue<(string, string)> _taskOrder = new();

    /// <summary>Reentrant; hold it to read or change several tokens consistently.</summary>
    public Lock Sync { get; } = new();

    public Token? Find(string tokenUniqueReference)
    {
        lock (Sync)
        {
            return _byTur.GetValueOrDefault(tokenUniqueReference);
        }
    }

    public Token? FindByTokenNumber(string tokenNumber)
    {
        lock (Sync)
        {
            return _byTokenNumber.GetValueOrDefault(tokenNumber);
        }
    }

    public IReadOnlyList<Token> ForPan(string pan)
    {
        lock (Sync)
        {
            return _byPan.TryGetValue(pan, out var list) ? [.. list] : [];
        }
    }

    public Token? FindByComment(string commentId)
    {
        lock (Sync)
        {
            return _byComment.GetValueOrDefault(commentId);
        }
    }

    /// <summary>Stores a comment on the token under a fresh, store-wide unique CommentId and returns it.</summary>
    public TokenComment AddComment(Token token, string text, DateTimeOffset at, string userId, string userName, string organization, string? phone)
    {
        lock (Sync)
        {
            var comment = new TokenComment("CMT" + (++_lastCommentNumber).ToString("D9", CultureInfo.InvariantCulture), text, at, userId, userName, organization, phone);
            if (token.Comments.Count >= Token.MaxEntries)
            {
                _byComment.Remove(token.Comments[0].CommentId);
            }

            Token.Append(token.Comments, comment);
            _byComment[comment.CommentId] = token;
            return comment;
        }
    }

    public string? PanForCardContract(string cardContractId)
    {
        lock (Sync)
        {
            return _cardContracts.GetValueOrDefault(cardContractId);
        }
    }

    public Token? FirstForPur(string panUniqueReference, string consumerKey)
    {
        lock (Sync)
        {
            return _byTur.Values.FirstOrDefault(t => t.PanUniqueReference == panUniqueReference && t.ConsumerKey == consumerKey);
        }
    }

    public TaskRecord? FindTask(string tokenRequestorId, string taskId)
    {
        lock (Sync)
        {
            return _tasks.GetValueOrDefault((tokenRequestorId, taskId));
        }
    }

    /// <summary>False when the TRID already used this taskId (MDES: INVALID_TASK_ID).</summary>
    public bool TryReserveTask(string tokenRequestorId, string taskId, DateTimeOffset now)
    {
        lock (Sync)
        {
            if (!_tasks.TryAdd((tokenRequestorId, taskId), new(tokenRequestorId, taskId, null, now)))
            {
                return false;
            }

            _taskOrder.Enqueue((tokenRequestorId, taskId));
            while (_taskOrder.Count > options.Value.MaxTokens * 2 && _taskOrder.TryDequeue(out var old))
            {
                _tasks.Remove(old);
            }

            return true;
        }
    }

    /// <summary>Tokenization ended without a token (declined): Get Task Status then answers FAILED.</summary>
    public void FailTask(string tokenRequestorId, string taskId)
    {
        lock (Sync)
        {
            if (_tasks.TryGetValue((tokenRequestorId, taskId), out var task))
            {
                _tasks[(tokenRequestorId, taskId)] = task with { Failed = true };
            }
        }
    }

    public void ReleaseTask(string tokenRequestorId, string taskId)
    {
        lock (Sync)
        {
            _tasks.Remove((tokenRequestorId, taskId));
        }
    }

    public void Add(Token token)
    {
        lock (Sync)
        {
            _byTur.Add(token.TokenUniqueReference, token);
            _byTokenNumber[token.TokenNumber] = token;
            IndexPan(token);
            if (_tasks.TryGetValue((token.TokenRequestorId, token.TaskId), out var task))
            {
                _tasks[(token.TokenRequestorId, token.TaskId)] = task with { TokenUniqueReference = token.TokenUniqueReference };
            }

            _insertionOrder.Enqueue(token.TokenUniqueReference);
            while (_byTur.Count > options.Value.MaxTokens && _insertionOrder.TryDequeue(out var oldest))
            {
                Forget(oldest);
            }
        }
    }

    /// <summary>FPAN swap: re-indexes the token under its new funding PAN and card contract.</summary>
    public void ChangeFundingPan(Token token, string newPan, string cardContractId, string panUniqueReference)
    {
        lock (Sync)
        {
            if (_byPan.TryGetValue(token.FundingPan, out var list))
            {
                list.Remove(token);
            }

            token.FundingPan = newPan;
            token.CardContractId = cardContractId;
            token.PanUniqueReference = panUniqueReference;
            IndexPan(token);
        }
    }

    public void ChangeTokenNumber(Token token, string newTokenNumber)
    {
        lock (Sync)
        {
            _byTokenNumber.Remove(token.TokenNumber);
            token.TokenNumber = newTokenNumber;
            _byTokenNumber[newTokenNumber] = token;
        }
    }

    /// <summary>A fresh, unused, Luhn-valid 16-digit token number in the simulator's token BIN range.</summary>
    public string NewTokenNumber()
    {
        lock (Sync)
        {
            while (true)
            {
                var body = "5204731" + RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
                var number = body + Luhn.CheckDigit(body);
                if (!_byTokenNumber.ContainsKey(number))
                {
                    return number;
                }
            }
        }
    }

    private void IndexPan(Token token)
    {
        if (!_byPan.TryGetValue(token.FundingPan, out var list))
        {
            _byPan[token.FundingPan] = list = [];
        }

        list.Add(token);
        _cardContracts[token.CardContractId] = token.FundingPan;
    }

    private void Forget(string tokenUniqueReference)
    {
        if (!_byTur.Remove(tokenUniqueReference, out var token))
        {
            return;
        }

        _byTokenNumber.Remove(token.TokenNumber);
        foreach (var comment in token.Comments)
        {
            _byComment.Remove(comment.CommentId);
        }

        if (_byPan.TryGetValue(token.FundingPan, out var list))
        {
            list.Remove(token);
            if (list.Count == 0)
            {
                _byPan.Remove(token.FundingPan);
                _cardContracts.Remove(token.CardContractId);
            }
        }
    }
}
