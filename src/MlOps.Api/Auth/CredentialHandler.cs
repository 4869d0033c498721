using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MlOps.Api.Platform;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Auth;

/// <summary>
/// What the three credential handlers share: a credential proved becomes the one principal (user, workspace, role,
/// and how it was proved); one that fails says why; and a request that is refused gets the 401 (or 429) of the surface
/// whose endpoint it called, written by that surface's dialect — whichever scheme is asked to challenge.
/// </summary>
public abstract class CredentialHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string AnsweredItem = "mlops.auth.answered";

    /// <summary>The identity the request's credential proves, or null when the request carries none of this kind.</summary>
    protected abstract Task<(AuthMethod Method, Identity Identity)?> ProveAsync();

    protected sealed override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        try
        {
            return await ProveAsync() is { } proved
                ? AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.ToPrincipal(proved.Identity, proved.Method, Scheme.Name), Scheme.Name))
                : AuthenticateResult.NoResult();
        }
        catch (AuthFailureException failure)
        {
            return AuthenticateResult.Fail(failure);
        }
    }

    /// <summary>
    /// No credential the endpoint takes: why, as the scheme that reads the request's credential found (a valid
    /// credential of another kind is the wrong kind).
    /// </summary>
    protected sealed override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = await Context.AuthenticateAsync(AuthSchemes.Any);
        await AnswerAsync(presented.Succeeded
            ? WrongKind()
            : presented.Failure as AuthFailureException ?? new AuthFailureException(AuthFailure.Missing, "missing credentials"), properties);
    }

    /// <summary>A valid credential of a kind the endpoint does not take.</summary>
    protected sealed override Task HandleForbiddenAsync(AuthenticationProperties properties) => AnswerAsync(WrongKind(), properties);

    private static AuthFailureException WrongKind() => new(AuthFailure.WrongScheme, "bad authentication header type");

    private async Task AnswerAsync(AuthFailureException failure, AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(AnsweredItem))
        {
            return; // another scheme of the policy answered already
        }
        Context.Items[AnsweredItem] = true;
        if (Context.GetEndpoint()?.Metadata.GetMetadata<SurfaceDialect>() is not { } dialect)
        {
            await base.HandleChallengeAsync(properties);
            return;
        }
        failure.Throttled?.AddRetryAfter(Response);
        await dialect.Unauthorized(Context, failure).ExecuteAsync(Context);
    }
}
