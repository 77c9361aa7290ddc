using OrleansSupport.HelpCenter;

namespace OrleansSupport.Tests;

public sealed class HelpCatalogTests
{
    private static readonly string[] Languages = HelpCatalogServiceCollectionExtensions.CatalogLanguages;

    private static HelpCatalog Shipped() => HelpCatalogLoader.Load(null, Languages);

    [Fact]
    public void The_shipped_catalog_has_six_categories_and_thirty_questions_in_english_and_russian()
    {
        var catalog = Shipped();
        var questions = catalog.Categories.SelectMany(c => c.Questions).ToList();

        Assert.True(catalog.Categories.Count >= 6);
        Assert.True(questions.Count >= 30);
        Assert.All(questions, q =>
        {
            Assert.NotEmpty(q.Suggestions);
            Assert.All(Languages, l => Assert.False(string.IsNullOrWhiteSpace(q.Title.In(l))));
        });
        Assert.Contains(questions, q => !q.OperatorCanHandle);
        Assert.Contains(questions, q => q.OperatorCanHandle && q.PaymentOrRefund);
        Assert.Contains(questions, q => q.OperatorCanHandle && !q.PaymentOrRefund);
    }

    [Fact]
    public void Email_is_offered_exactly_for_the_payment_and_refund_questions()
    {
        var catalog = Shipped();
        foreach (var category in catalog.Categories)
        {
            var paymentOrRefundCategory = category.Id is "payment" or "refunds";
            Assert.All(category.Questions, q => Assert.Equal(paymentOrRefundCategory, q.PaymentOrRefund));
        }
    }

    [Fact]
    public void A_broken_catalog_stops_loading_with_every_problem_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            {
              "categories": [
                { "id": "a", "title": { "en": "A" }, "questions": [
                  { "id": "q1", "title": { "en": "Q", "ru": "В" }, "operatorCanHandle": true, "paymentOrRefund": false, "suggestions": [] },
                  { "id": "q1", "title": { "en": "Q", "ru": "В" }, "operatorCanHandle": true, "paymentOrRefund": false,
                    "suggestions": [ { "id": "s 1", "text": { "en": "", "ru": "текст" } } ] }
                ] },
                { "id": "empty", "title": { "en": "E", "ru": "Е" }, "questions": [] }
              ]
            }
            """);
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => HelpCatalogLoader.Load(path, Languages));

            Assert.Contains("is broken", error.Message);
            Assert.Contains("category 'a' title has no 'ru' text", error.Message);
            Assert.Contains("question 'q1' has no suggestions", error.Message);
            Assert.Contains("id 'q1' is used twice", error.Message);
            Assert.Contains("suggestion id 's 1'", error.Message);
            Assert.Contains("suggestion 's 1' has no 'en' text", error.Message);
            Assert.Contains("category 'empty' has no questions", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_or_malformed_catalog_file_is_named_in_the_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");
        Assert.Contains(missing, Assert.Throws<InvalidOperationException>(() => HelpCatalogLoader.Load(missing, Languages)).Message);

        var malformed = Path.Combine(Path.GetTempPath(), $"malformed-{Guid.NewGuid():N}.json");
        File.WriteAllText(malformed, "{ \"categories\": [ ");
        try
        {
            Assert.Contains("could not be read", Assert.Throws<InvalidOperationException>(() => HelpCatalogLoader.Load(malformed, Languages)).Message);
        }
        finally
        {
            File.Delete(malformed);
        }
    }
}
