using System.Text.Json;

namespace OrleansSupport.HelpCenter;

/// <summary>
/// Loads the catalog and refuses a broken one with every problem named, so that a bad edit stops
/// start-up instead of showing customers empty buttons.
/// </summary>
public static class HelpCatalogLoader
{
    public const string DefaultFileName = "help-center.json";
    public const int MaxTitleLength = 120;
    public const int MaxSuggestionLength = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>The file shipped next to the binaries, unless <paramref name="path"/> names another.</summary>
    public static HelpCatalog Load(string? path, IEnumerable<string> languages)
    {
        path = string.IsNullOrWhiteSpace(path) ? Path.Combine(AppContext.BaseDirectory, "HelpCenter", DefaultFileName) : path;
        HelpCatalog? catalog;
        try
        {
            catalog = JsonSerializer.Deserialize<HelpCatalog>(File.ReadAllText(path), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The help center catalog {path} could not be read: {ex.Message}", ex);
        }

        var problems = catalog is null ? ["the file is empty"] : Validate(catalog, [.. languages]);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The help center catalog {path} is broken:{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}");
        }

        catalog!.Index();
        return catalog;
    }

    public static List<string> Validate(HelpCatalog catalog, IReadOnlyCollection<string> languages)
    {
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (catalog.Categories.Count == 0)
        {
            problems.Add("there are no categories");
        }

        foreach (var category in catalog.Categories)
        {
            CheckId(category.Id, "category");
            CheckText(category.Title, $"category '{category.Id}' title", MaxTitleLength);
            if (category.Questions.Count == 0)
            {
                problems.Add($"category '{category.Id}' has no questions");
            }

            foreach (var question in category.Questions)
            {
                CheckId(question.Id, "question");
                CheckText(question.Title, $"question '{question.Id}' title", MaxTitleLength);
                if (question.Suggestions.Count == 0)
                {
                    problems.Add($"question '{question.Id}' has no suggestions");
                }

                foreach (var suggestion in question.Suggestions)
                {
                    CheckId(suggestion.Id, "suggestion");
                    CheckText(suggestion.Text, $"suggestion '{suggestion.Id}'", MaxSuggestionLength);
                }
            }
        }

        return problems;

        void CheckId(string id, string what)
        {
            if (string.IsNullOrWhiteSpace(id) || id.Length > 100 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                problems.Add($"{what} id '{id}' must be 1-100 letters, digits, '.', '-' or '_'");
            }
            else if (!ids.Add(id))
            {
                problems.Add($"id '{id}' is used twice");
            }
        }

        void CheckText(LocalizedText? text, string what, int maxLength)
        {
            foreach (var language in languages)
            {
                if (text is null || !text.TryGetValue(language, out var value) || string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"{what} has no '{language}' text");
                }
                else if (value.Length > maxLength)
                {
                    problems.Add($"{what} '{language}' text is longer than {maxLength} characters");
                }
            }
        }
    }
}
