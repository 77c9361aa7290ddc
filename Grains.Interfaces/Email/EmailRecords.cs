namespace OrleansSupport.Email;

/// <summary>What the customer typed into the "Email us" form.</summary>
[GenerateSerializer, Immutable, Alias("OrleansSupport.EmailRequestDraft")]
public sealed record EmailRequestDraft(
    [property: Id(0)] string Language,
    [property: Id(1)] string QuestionId,
    [property: Id(2)] string Email,
    [property: Id(3)] string OrderNumber,
    [property: Id(4)] string Text);

[GenerateSerializer, Immutable, Alias("OrleansSupport.EmailRequest")]
public sealed record EmailRequest(
    [property: Id(0)] string Reference,
    [property: Id(1)] string Language,
    [property: Id(2)] string QuestionId,
    [property: Id(3)] string Email,
    [property: Id(4)] string OrderNumber,
    [property: Id(5)] string Text,
    [property: Id(6)] DateTimeOffset SubmittedAt,
    [property: Id(7)] EmailAnswer? Answer = null);

/// <summary>How an operator answered and closed a request.</summary>
[GenerateSerializer, Immutable, Alias("OrleansSupport.EmailAnswer")]
public sealed record EmailAnswer(
    [property: Id(0)] string OperatorId,
    [property: Id(1)] string Text,
    [property: Id(2)] DateTimeOffset AnsweredAt);
