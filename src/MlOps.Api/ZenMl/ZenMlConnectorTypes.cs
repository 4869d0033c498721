using System.Text.Json.Nodes;

namespace MlOps.Api.ZenMl;

/// <summary>
/// The service connector types ZenML's server lists (AWS, GCP, Azure, Kubernetes, Docker, HyperAI): each with the
/// resources it reaches and its authentication methods, whose configuration schema the connector form is drawn from
/// (a secret field carries <c>"sensitive": true</c>, as ZenML marks it).
/// </summary>
public static class ZenMlConnectorTypes
{
    public sealed record ResourceTypeModel(
        string Name, string ResourceType, string Description, List<string> AuthMethods, bool SupportsInstances, string? LogoUrl, string? Emoji);

    public sealed record AuthenticationMethodModel(
        string Name, string AuthMethod, string Description, JsonObject ConfigSchema,
        int? MinExpirationSeconds, int? MaxExpirationSeconds, int? DefaultExpirationSeconds);

    public sealed record ServiceConnectorTypeModel(
        string Name, string ConnectorType, string Description, List<ResourceTypeModel> ResourceTypes, List<AuthenticationMethodModel> AuthMethods,
        bool SupportsAutoConfiguration, string? LogoUrl, string? Emoji, string? DocsUrl, string? SdkDocsUrl, bool Local, bool Remote);

    private const string Logos = "https://public-flavor-logos.s3.eu-central-1.amazonaws.com";
    private const string Docs = "https://docs.zenml.io/stacks/service-connectors/connector-types";

    private sealed record Field(string Name, string Title, string Type, string Description, bool Required, bool Secret);

    private static Field Text(string name, string title, string description) => new(name, title, "string", description, true, false);
    private static Field OptionalText(string name, string title, string description) => new(name, title, "string", description, false, false);
    private static Field Secret(string name, string title, string description) => new(name, title, "string", description, true, true);
    private static Field OptionalSecret(string name, string title, string description) => new(name, title, "string", description, false, true);
    private static Field Flag(string name, string title, string description) => new(name, title, "boolean", description, false, false);
    private static Field List(string name, string title, string description, bool required) => new(name, title, "array", description, required, false);

    private static readonly Field AwsRegion = Text("region", "AWS Region", "AWS region");
    private static readonly Field AwsEndpoint = OptionalText("endpoint_url", "AWS Endpoint URL", "AWS endpoint URL");
    private static readonly Field AwsKeyId = Secret("aws_access_key_id", "AWS Access Key ID", "An AWS access key ID associated with an AWS account or IAM user.");
    private static readonly Field AwsSecretKey = Secret("aws_secret_access_key", "AWS Secret Access Key", "The AWS secret access key");
    private static readonly Field GcpProject = Text("project_id", "GCP Project ID", "GCP project ID where the resources are located");
    private static readonly Field AzureTenant = Text("tenant_id", "Azure Tenant ID", "Azure tenant ID");
    private static readonly Field AzureSubscription = OptionalText("subscription_id", "Azure Subscription ID", "Azure subscription ID, to limit access to one subscription");
    private static readonly Field AzureGroup = OptionalText("resource_group", "Azure Resource Group", "Azure resource group, to limit access to one resource group");
    private static readonly Field AzureStorage = OptionalText("storage_account", "Azure Storage Account", "Azure storage account, to limit access to one storage account");
    private static readonly Field K8sServer = Text("server", "Kubernetes Server Address", "The URL of the Kubernetes API server, e.g. https://1.2.3.4:6443");
    private static readonly Field K8sInsecure = Flag("insecure", "Skip TLS verification", "Skip the verification of the server's TLS certificate");
    private static readonly Field K8sCluster = Text("cluster_name", "Kubernetes cluster name", "The name of the Kubernetes cluster");
    private static readonly Field K8sCa = OptionalSecret("certificate_authority", "Kubernetes CA Certificate (base64 encoded)", "The certificate authority of the cluster");

    private static readonly string[] AwsMethods = ["implicit", "secret-key", "sts-token", "iam-role", "session-token", "federation-token"];
    private static readonly string[] GcpMethods = ["implicit", "user-account", "service-account", "external-account", "oauth2-token", "impersonation"];
    private static readonly string[] AzureMethods = ["implicit", "service-principal", "access-token"];
    private static readonly string[] SshKeyMethods = ["rsa-key", "dsa-key", "ecdsa-key", "ed25519-key"];

    public static readonly IReadOnlyList<ServiceConnectorTypeModel> All =
    [
        Type("AWS Service Connector", "aws", "Authenticates to AWS services (S3 buckets, EKS clusters, ECR registries) with AWS credentials.", "aws",
            [
                Resource("Generic AWS resource", "aws-generic", "Multi-purpose AWS resource type: a boto3 session for any AWS service.", AwsMethods, false, $"{Logos}/connectors/aws/aws.png"),
                Resource("AWS S3 bucket", "s3-bucket", "An S3 bucket, identified by its name or s3:// URI.", AwsMethods, true, $"{Logos}/artifact_store/aws.png"),
                Resource("AWS EKS Kubernetes cluster", "kubernetes-cluster", "An EKS cluster, identified by its name or ARN.", AwsMethods, true, $"{Logos}/orchestrator/kubernetes.png"),
                Resource("AWS ECR container registry", "docker-registry", "The ECR registry of the account and region.", AwsMethods, false, $"{Logos}/container_registry/docker.png"),
            ],
            [
                Auth("AWS Implicit Authentication", "implicit", "Credentials from the environment (instance profile, environment variables, local AWS CLI).",
                    [AwsRegion, OptionalText("profile_name", "AWS Profile Name", "The name of the AWS CLI profile to use"), AwsEndpoint]),
                Auth("AWS Secret Key", "secret-key", "Long-lived AWS credentials: an access key ID and secret access key.", [AwsRegion, AwsEndpoint, AwsKeyId, AwsSecretKey]),
                Auth("AWS STS Token", "sts-token", "Temporary AWS STS credentials: an access key, secret key and session token.",
                    [AwsRegion, AwsEndpoint, AwsKeyId, AwsSecretKey, Secret("aws_session_token", "AWS Session Token", "The AWS session token")]),
                Auth("AWS IAM Role", "iam-role", "Temporary credentials by assuming an IAM role with long-lived AWS credentials.",
                    [AwsRegion, AwsEndpoint, AwsKeyId, AwsSecretKey, Text("role_arn", "AWS IAM Role ARN", "The ARN of the IAM role to assume"),
                     List("policy_arns", "ARNs of AWS IAM managed policies", "Managed policies that restrict the session", false)], 900, 43200, 3600),
                Auth("AWS Session Token", "session-token", "Temporary session tokens generated from long-lived AWS credentials.",
                    [AwsRegion, AwsEndpoint, AwsKeyId, AwsSecretKey], 900, 129600, 43200),
                Auth("AWS Federation Token", "federation-token", "Temporary federation tokens generated from long-lived AWS credentials.",
                    [AwsRegion, AwsEndpoint, AwsKeyId, AwsSecretKey,
                     List("policy_arns", "ARNs of AWS IAM managed policies", "Managed policies that restrict the session", false)], 900, 129600, 43200),
            ], supportsAutoConfiguration: true),
        Type("GCP Service Connector", "gcp", "Authenticates to GCP services (GCS buckets, GKE clusters, GCR/Artifact registries) with GCP credentials.", "gcp",
            [
                Resource("Generic GCP resource", "gcp-generic", "Multi-purpose GCP resource type: credentials for any GCP service.", GcpMethods, false, $"{Logos}/connectors/gcp/gcp.png"),
                Resource("GCP GCS bucket", "gcs-bucket", "A GCS bucket, identified by its name or gs:// URI.", GcpMethods, true, $"{Logos}/artifact_store/gcp.png"),
                Resource("GCP GKE Kubernetes cluster", "kubernetes-cluster", "A GKE cluster, identified by its name.", GcpMethods, true, $"{Logos}/orchestrator/kubernetes.png"),
                Resource("GCP GCR container registry", "docker-registry", "The GCR or Artifact Registry of the project.", GcpMethods, false, $"{Logos}/container_registry/docker.png"),
            ],
            [
                Auth("GCP Implicit Authentication", "implicit", "Credentials from the environment (application default credentials, workload identity).",
                    [OptionalText("project_id", "GCP Project ID", "GCP project ID where the resources are located")]),
                Auth("GCP User Account", "user-account", "A GCP user account's credentials (from gcloud auth application-default login).",
                    [GcpProject, Secret("user_account_json", "GCP User Account Credentials JSON", "The user account credentials JSON")]),
                Auth("GCP Service Account", "service-account", "A GCP service account's key.",
                    [GcpProject, Secret("service_account_json", "GCP Service Account Key JSON", "The service account key JSON")]),
                Auth("GCP External Account", "external-account", "Workload identity federation with an external account configuration.",
                    [GcpProject, Secret("external_account_json", "GCP External Account JSON", "The external account configuration JSON")]),
                Auth("GCP OAuth 2.0 Token", "oauth2-token", "A temporary GCP OAuth 2.0 token.",
                    [GcpProject, Secret("token", "GCP OAuth 2.0 Token", "The OAuth 2.0 token")], null, null, 3600),
                Auth("GCP Service Account Impersonation", "impersonation", "Temporary credentials by impersonating another service account.",
                    [GcpProject, Secret("service_account_json", "GCP Service Account Key JSON", "The service account key JSON"),
                     Text("target_principal", "GCP Service Account Email to impersonate", "The service account to impersonate")], 300, 43200, 3600),
            ], supportsAutoConfiguration: true),
        Type("Azure Service Connector", "azure", "Authenticates to Azure services (blob containers, AKS clusters, ACR registries) with Azure credentials.", "azure",
            [
                Resource("Generic Azure resource", "azure-generic", "Multi-purpose Azure resource type: credentials for any Azure service.", AzureMethods, false, $"{Logos}/connectors/azure/azure.png"),
                Resource("Azure Blob Storage Container", "blob-container", "A blob container, identified by its name or az:// URI.", AzureMethods, true, $"{Logos}/artifact_store/azure.png"),
                Resource("Azure Kubernetes Service (AKS) cluster", "kubernetes-cluster", "An AKS cluster, identified by its name.", AzureMethods, true, $"{Logos}/orchestrator/kubernetes.png"),
                Resource("Azure Container Registry", "docker-registry", "An ACR registry, identified by its name or URI.", AzureMethods, true, $"{Logos}/container_registry/docker.png"),
            ],
            [
                Auth("Azure Implicit Authentication", "implicit", "Credentials from the environment (managed identity, environment variables, local Azure CLI).",
                    [AzureSubscription, AzureGroup, AzureStorage]),
                Auth("Azure Service Principal", "service-principal", "An Azure service principal's client ID and secret.",
                    [AzureTenant, Text("client_id", "Azure Client ID", "The service principal's client ID"),
                     Secret("client_secret", "Service principal client secret", "The service principal's client secret"), AzureSubscription, AzureGroup, AzureStorage]),
                Auth("Azure Access Token", "access-token", "A temporary Azure access token.",
                    [Secret("token", "Azure Access Token", "The access token"), AzureSubscription, AzureGroup, AzureStorage], null, null, 3600),
            ], supportsAutoConfiguration: true),
        Type("Kubernetes Service Connector", "kubernetes", "Authenticates to a generic Kubernetes cluster with its API server address and credentials.", "kubernetes",
            [Resource("Kubernetes cluster", "kubernetes-cluster", "A Kubernetes cluster, identified by its name.", ["password", "token"], false, $"{Logos}/orchestrator/kubernetes.png")],
            [
                Auth("Kubernetes Username and Password", "password", "A username and password for the cluster's API server.",
                    [K8sServer, K8sInsecure, K8sCluster, K8sCa, Secret("username", "Kubernetes Username", "The username"), Secret("password", "Kubernetes Password", "The password")]),
                Auth("Kubernetes Token", "token", "A bearer token or client certificate for the cluster's API server.",
                    [K8sServer, K8sInsecure, K8sCluster, K8sCa, OptionalSecret("client_certificate", "Kubernetes Client Certificate", "The client certificate"),
                     OptionalSecret("client_key", "Kubernetes Client Key", "The client certificate's key"), OptionalSecret("token", "Kubernetes Token", "The bearer token")]),
            ], supportsAutoConfiguration: true),
        Type("Docker Service Connector", "docker", "Authenticates to a Docker or OCI container registry.", "docker",
            [Resource("Docker/OCI container registry", "docker-registry", "A Docker or OCI registry, identified by its URI or a DockerHub repository name.", ["password"], false, $"{Logos}/container_registry/docker.png")],
            [
                Auth("Docker username and password/token", "password", "A username and password or token for the registry.",
                    [Secret("username", "Username", "The registry username"), Secret("password", "Password", "The registry password or token"),
                     OptionalText("registry", "Registry server", "The registry server URL; DockerHub when not given")]),
            ]),
        Type("HyperAI Service Connector", "hyperai", "Authenticates to HyperAI instances over SSH.", "hyperai",
            [Resource("HyperAI instance", "hyperai-instance", "A HyperAI instance, identified by its hostname or IP address.", SshKeyMethods, true, $"{Logos}/connectors/hyperai/hyperai.png")],
            SshKeyMethods.Select(method => Auth($"{method[..method.IndexOf('-')].ToUpperInvariant()} key", method, $"An {method} SSH key.",
                [Secret("base64_ssh_key", "SSH key", "The base64-encoded SSH private key"), OptionalSecret("ssh_passphrase", "SSH key passphrase", "The key's passphrase"),
                 List("hostnames", "Hostnames of the HyperAI instances", "The instances' hostnames or IP addresses", true), Text("username", "Username", "The SSH username")])).ToArray()),
    ];

    /// <summary>The types offering <paramref name="resourceType"/> and <paramref name="authMethod"/> (each when given), of <paramref name="connectorType"/> when given.</summary>
    public static IEnumerable<ServiceConnectorTypeModel> Matching(string? connectorType, string? resourceType, string? authMethod) =>
        All.Where(t => (connectorType is null || t.ConnectorType == connectorType)
            && (resourceType is null || t.ResourceTypes.Any(r => r.ResourceType == resourceType))
            && (authMethod is null || t.AuthMethods.Any(a => a.AuthMethod == authMethod)));

    public static ServiceConnectorTypeModel? Find(string connectorType) => All.FirstOrDefault(t => t.ConnectorType == connectorType);

    public static string NotAvailable(string connectorType) =>
        $"Service connector type {connectorType} is not available. Please make sure the corresponding packages and/or ZenML integration are installed and try again.";

    private static ServiceConnectorTypeModel Type(
        string name, string type, string description, string logo, ResourceTypeModel[] resources, AuthenticationMethodModel[] methods,
        bool supportsAutoConfiguration = false) =>
        new(name, type, description, [.. resources], [.. methods], supportsAutoConfiguration, $"{Logos}/connectors/{logo}/{logo}.png", null,
            $"{Docs}/{type}-service-connector", "https://sdkdocs.zenml.io/latest/", true, true);

    private static ResourceTypeModel Resource(string name, string type, string description, string[] methods, bool supportsInstances, string logo) =>
        new(name, type, description, [.. methods], supportsInstances, logo, null);

    private static AuthenticationMethodModel Auth(
        string name, string method, string description, Field[] fields, int? minExpiration = null, int? maxExpiration = null, int? defaultExpiration = null) =>
        new(name, method, description, Schema(name, fields), minExpiration, maxExpiration, defaultExpiration);

    /// <summary>A configuration's JSON schema as pydantic writes it: an optional field is <c>anyOf</c> its type or null.</summary>
    private static JsonObject Schema(string title, Field[] fields)
    {
        var properties = new JsonObject();
        foreach (var field in fields)
        {
            var type = new JsonObject { ["type"] = field.Type };
            if (field.Type == "array")
            {
                type["items"] = new JsonObject { ["type"] = "string" };
            }
            if (field.Secret)
            {
                type["format"] = "password";
                type["writeOnly"] = true;
                type["sensitive"] = true;
            }
            var property = field.Required || field.Type == "boolean" ? type : new JsonObject { ["anyOf"] = new JsonArray(type, new JsonObject { ["type"] = "null" }), ["default"] = null };
            if (field.Type == "boolean")
            {
                property["default"] = false;
            }
            property["title"] = field.Title;
            property["description"] = field.Description;
            properties[field.Name] = property;
        }
        var required = new JsonArray(fields.Where(f => f.Required).Select(f => (JsonNode)f.Name).ToArray());
        return new JsonObject { ["title"] = title, ["type"] = "object", ["properties"] = properties, ["required"] = required, ["additionalProperties"] = false };
    }
}
