using Microsoft.EntityFrameworkCore;
using MlOps.Data.Entities;
using MlOps.Data.Security;

namespace MlOps.Data.Tenancy;

public sealed class TenantAdminException(string message) : Exception(message);

/// <summary>The keys a caller authenticates with; secrets appear here once, at creation, and are stored hashed.</summary>
public sealed record IssuedCredentials(string AccessKey, string SecretKey, string ApiKey);

public sealed record BootstrapSettings(string? AccessKey, string? SecretKey, string? ApiKey, string? AdminUser, string? AdminPassword);

/// <summary>What the first start created; generated values are reported so the operator can see them once.</summary>
public sealed record BootstrapResult(string Workspace, string AdminUser, string? GeneratedPassword, IssuedCredentials Credentials);

/// <summary>Creates workspaces, users and credentials: used by first-start bootstrap and the admin verbs.</summary>
public sealed class TenantAdmin(WorkspaceContextFactory contexts, PasswordHasher passwords)
{
    public const string DefaultWorkspace = "default";

    public async Task<Workspace> CreateWorkspaceAsync(string name, CancellationToken ct)
    {
        name = RequireName(name, "workspace");
        await using var db = contexts.For(null);
        if (await db.Workspaces.AnyAsync(w => w.Name == name, ct))
        {
            throw new TenantAdminException($"workspace '{name}' already exists");
        }
        var workspace = new Workspace { Name = name };
        db.Workspaces.Add(workspace);
        await SaveUniqueAsync(db, $"workspace '{name}' already exists", ct);
        return workspace;
    }

    public async Task<User> CreateUserAsync(string workspaceName, string userName, string password, UserRole role, CancellationToken ct)
    {
        userName = RequireName(userName, "user");
        if (string.IsNullOrEmpty(password))
        {
            throw new TenantAdminException("password must not be empty");
        }
        var workspace = await FindWorkspaceAsync(workspaceName, ct);
        await using var db = contexts.For(workspace.Id);
        if (await db.Users.AnyAsync(u => u.Name == userName, ct))
        {
            throw new TenantAdminException($"user '{userName}' already exists in workspace '{workspace.Name}'");
        }
        var user = new User { Name = userName, PasswordHash = passwords.Hash(password), Role = role };
        db.Users.Add(user);
        await SaveUniqueAsync(db, $"user '{userName}' already exists in workspace '{workspace.Name}'", ct);
        return user;
    }

    public async Task<IssuedCredentials> CreateCredentialsAsync(string workspaceName, string userName, CancellationToken ct)
    {
        var workspace = await FindWorkspaceAsync(workspaceName, ct);
        await using var db = contexts.For(workspace.Id);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Name == userName, ct)
            ?? throw new TenantAdminException($"user '{userName}' not found in workspace '{workspace.Name}'");
        var issued = new IssuedCredentials(NewAccessKey(), NewSecret(), NewSecret());
        AddCredentials(db, user.Id, issued);
        await db.SaveChangesAsync(ct);
        return issued;
    }

    /// <summary>A new ClearML key pair for an existing user (ClearML's auth.create_credentials).</summary>
    public async Task<(string AccessKey, string SecretKey)> IssueKeyPairAsync(Guid workspaceId, Guid userId, CancellationToken ct)
    {
        await using var db = contexts.For(workspaceId);
        var (accessKey, secretKey) = (NewAccessKey(), NewSecret());
        db.Credentials.Add(KeyPair(userId, accessKey, secretKey));
        await db.SaveChangesAsync(ct);
        return (accessKey, secretKey);
    }

    /// <summary>A service account of the workspace with one API key (Comet service accounts).</summary>
    public async Task<(User Account, string ApiKey)> CreateServiceAccountAsync(Guid workspaceId, string name, Guid createdBy, CancellationToken ct)
    {
        name = RequireName(name, "service account");
        await using var db = contexts.For(workspaceId);
        if (await db.Users.AnyAsync(u => u.Name == name, ct))
        {
            throw new TenantAdminException($"user '{name}' already exists");
        }
        var account = new User { Name = name, IsServiceAccount = true, CreatedBy = createdBy };
        var apiKey = NewSecret();
        db.Users.Add(account);
        db.Credentials.Add(ApiKeyCredential(account.Id, apiKey));
        await SaveUniqueAsync(db, $"user '{name}' already exists", ct);
        return (account, apiKey);
    }

    /// <summary>Replaces every API key of a service account with one new key (old keys are refused once key caches expire).</summary>
    public async Task<(User Account, string ApiKey)> RotateServiceAccountKeyAsync(Guid workspaceId, string name, CancellationToken ct)
    {
        await using var db = contexts.For(workspaceId);
        var account = await db.Users.SingleOrDefaultAsync(u => u.Name == name && u.IsServiceAccount, ct)
            ?? throw new TenantAdminException($"service account '{name}' not found");
        var apiKey = NewSecret();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Credentials.Where(c => c.UserId == account.Id && c.Kind == CredentialKind.ApiKey).ExecuteDeleteAsync(ct);
        db.Credentials.Add(ApiKeyCredential(account.Id, apiKey));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (account, apiKey);
    }

    /// <summary>On an empty database: the default workspace, its admin and one set of credentials. Otherwise nothing.</summary>
    public async Task<BootstrapResult?> BootstrapAsync(BootstrapSettings settings, CancellationToken ct)
    {
        await using (var probe = contexts.For(null))
        {
            if (await probe.Workspaces.AnyAsync(ct))
            {
                return null;
            }
        }
        var generatedPassword = string.IsNullOrEmpty(settings.AdminPassword) ? NewSecret()[..24] : null;
        var issued = new IssuedCredentials(
            Blank(settings.AccessKey) ?? NewAccessKey(),
            Blank(settings.SecretKey) ?? NewSecret(),
            Blank(settings.ApiKey) ?? NewSecret());
        var adminName = Blank(settings.AdminUser) ?? "admin";
        try
        {
            var workspace = new Workspace { Name = DefaultWorkspace };
            await using var db = contexts.For(workspace.Id);
            db.Workspaces.Add(workspace);
            var admin = new User
            {
                Name = adminName,
                PasswordHash = passwords.Hash(generatedPassword ?? settings.AdminPassword!),
                Role = UserRole.Admin,
            };
            db.Users.Add(admin);
            AddCredentials(db, admin.Id, issued);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another replica bootstrapped the same empty database first; what it created stands.
            return null;
        }
        return new BootstrapResult(DefaultWorkspace, adminName, generatedPassword, issued);
    }

    /// <summary>The existence checks above race with other admins; the unique indexes decide, and the loser is told why.</summary>
    private static async Task SaveUniqueAsync(MlOpsDbContext db, string conflict, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new TenantAdminException(conflict);
        }
    }

    private static void AddCredentials(MlOpsDbContext db, Guid userId, IssuedCredentials issued)
    {
        db.Credentials.Add(KeyPair(userId, issued.AccessKey, issued.SecretKey));
        db.Credentials.Add(ApiKeyCredential(userId, issued.ApiKey));
    }

    private static Credential ApiKeyCredential(Guid userId, string apiKey) => new()
    {
        UserId = userId,
        Kind = CredentialKind.ApiKey,
        Identifier = SecretHasher.DigestApiKey(apiKey),
    };

    private static Credential KeyPair(Guid userId, string accessKey, string secretKey) => new()
    {
        UserId = userId,
        Kind = CredentialKind.KeyPair,
        Identifier = accessKey,
        SecretHash = SecretHasher.HashGeneratedSecret(secretKey),
    };

    private async Task<Workspace> FindWorkspaceAsync(string name, CancellationToken ct)
    {
        await using var db = contexts.For(null);
        return await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.Name == name, ct)
            ?? throw new TenantAdminException($"workspace '{name}' not found");
    }

    private static string RequireName(string name, string what)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            throw new TenantAdminException($"{what} name must be 1 to 200 characters");
        }
        return name;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // ClearML access keys are 20-30 upper-case alphanumerics; secrets are longer random strings.
    private static string NewAccessKey() => SecretHasher.NewToken(24, upperAlphanumeric: true);

    private static string NewSecret() => SecretHasher.NewToken(48);
}
