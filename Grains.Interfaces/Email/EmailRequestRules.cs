using System.Security.Cryptography;
using System.Text.RegularExpressions;
using OrleansSupport.HelpCenter;

namespace OrleansSupport.Email;

/// <summary>What makes an "Email us" request acceptable; checked by the API and again by the grain.</summary>
public static partial class EmailRequestRules
{
    public const int MaxEmailLength = 254;
    public const int MaxOrderNumberLength = 32;

    /// <summary>Problems per field (camelCase names, as the form sends them); empty when acceptable.</summary>
    public static Dictionary<string, string[]> Validate(EmailRequestDraft draft, HelpCatalog catalog, LanguageOptions languages)
    {
        var problems = new Dictionary<string, string[]>();
        if (!languages.IsKnown(draft.Language))
        {
            problems["language"] = ["Unknown language."];
        }

        var question = catalog.FindQuestion(draft.QuestionId);
        if (question is null)
        {
            problems["questionId"] = ["Unknown question."];
        }
        else if (!question.PaymentOrRefund)
        {
            problems["questionId"] = ["E-mail requests are taken only for payment and refund questions."];
        }

        if (string.IsNullOrWhiteSpace(draft.Email) || draft.Email.Length > MaxEmailLength || !EmailPattern().IsMatch(draft.Email))
        {
            problems["email"] = ["Enter a valid e-mail address."];
        }

        if (string.IsNullOrWhiteSpace(draft.OrderNumber) || draft.OrderNumber.Length > MaxOrderNumberLength || !OrderNumberPattern().IsMatch(draft.OrderNumber))
        {
            problems["orderNumber"] = [$"Enter the order number: up to {MaxOrderNumberLength} letters, digits or '-'."];
        }

        if (string.IsNullOrWhiteSpace(draft.Text))
        {
            problems["text"] = ["Describe the problem."];
        }
        else if (draft.Text.Length > SupportLimits.MaxMessageLength)
        {
            problems["text"] = [$"At most {SupportLimits.MaxMessageLength} characters."];
        }

        return problems;
    }

    /// <summary>"SR-" and ten characters from an alphabet without look-alikes (0/O, 1/I): 50 random bits.</summary>
    public static string NewReference()
    {
        const string alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        Span<char> code = stackalloc char[10];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return $"SR-{code}";
    }

    public static bool IsReference(string? text) => text is not null && ReferencePattern().IsMatch(text);

    // Deliberately simple: one @, something on both sides, a dot in the domain, no spaces.
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex OrderNumberPattern();

    [GeneratedRegex("^SR-[2-9A-HJ-NP-Z]{10}$")]
    private static partial Regex ReferencePattern();
}
