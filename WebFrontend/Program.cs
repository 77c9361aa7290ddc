using OrleansSupport.WebFrontend;

var app = FrontendApp.Build(WebApplication.CreateBuilder(args));
await app.RunAsync();
