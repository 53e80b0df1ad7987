import { type RemovalPolicy, SecretValue, Validations } from "aws-cdk-lib";
import { type ISecret, Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { PLACEHOLDER } from "../../shared/contract/secrets.ts";

export interface PlatformSecretsProps {
  /** The complete ARN of an existing secret to use instead of creating one, by secret. */
  imported: {
    accountPlatform: string | undefined;
    osis: string | undefined;
    webhook: string | undefined;
    bambooHr: string | undefined;
    bambooHrApi: string | undefined;
    scimToken: string | undefined;
  };
  /** For created secrets: RETAIN keeps credentials that are expensive to re-issue. */
  removalPolicy: RemovalPolicy;
}

/**
 * The secrets the functions read (shapes in shared/runtime/credentials/secret-shapes.ts). A created
 * secret starts as a JSON template whose values are the placeholder, which cold start refuses
 * with a message naming the secret: the operator fills it in with put-secret-value. CloudFormation
 * writes the template only at creation, so a later deploy never overwrites the real value.
 */
export class PlatformSecrets extends Construct {
  /** The initial value of each created secret, by secret. */
  static readonly TEMPLATES = {
    accountPlatform: { clientId: PLACEHOLDER, clientSecret: PLACEHOLDER },
    osis: { username: PLACEHOLDER, password: PLACEHOLDER },
    webhook: { keys: [PLACEHOLDER] },
    bambooHr: { keys: [PLACEHOLDER] },
    bambooHrApi: { apiKey: PLACEHOLDER, companyDomain: PLACEHOLDER },
    scimToken: { tokens: [PLACEHOLDER] },
  } as const;

  readonly accountPlatform: ISecret;
  readonly osis: ISecret;
  readonly webhook: ISecret;
  readonly bambooHr: ISecret;
  readonly bambooHrApi: ISecret;
  readonly scimToken: ISecret;
  /** Only the secrets this stack created (not imported ones). */
  readonly created: Secret[] = [];

  private readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: PlatformSecretsProps) {
    super(scope, id);
    this.removalPolicy = props.removalPolicy;
    const imported = props.imported;
    this.accountPlatform = this.secret(
      "AccountPlatformSecret",
      "Account platform API client: {clientId, clientSecret}",
      PlatformSecrets.TEMPLATES.accountPlatform,
      imported.accountPlatform,
    );
    this.osis = this.secret(
      "OsisSecret",
      "OSIS credentials: {username, password} or {token}",
      PlatformSecrets.TEMPLATES.osis,
      imported.osis,
    );
    this.webhook = this.secret(
      "WebhookSecret",
      "Webhook signing keys (Standard Webhooks): {keys: [whsec_…]}; every key is accepted",
      PlatformSecrets.TEMPLATES.webhook,
      imported.webhook,
    );
    this.bambooHr = this.secret(
      "BambooHrSecret",
      "BambooHR webhook signing keys: {keys: […]}",
      PlatformSecrets.TEMPLATES.bambooHr,
      imported.bambooHr,
    );
    this.bambooHrApi = this.secret(
      "BambooHrApiSecret",
      "BambooHR API key for reading employees back: {apiKey, companyDomain}",
      PlatformSecrets.TEMPLATES.bambooHrApi,
      imported.bambooHrApi,
    );
    this.scimToken = this.secret(
      "ScimTokenSecret",
      "SCIM bearer tokens for Okta or Microsoft Entra: {tokens: […]}, each at least 32 bytes",
      PlatformSecrets.TEMPLATES.scimToken,
      imported.scimToken,
    );
  }

  private secret(id: string, description: string, template: object, arn: string | undefined) {
    if (arn !== undefined) return Secret.fromSecretCompleteArn(this, id, arn);
    const secret = new Secret(this, id, {
      description,
      // The placeholder is not a secret: it is the documented "not filled in yet" marker.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify(template)),
      removalPolicy: this.removalPolicy,
    });
    Validations.of(secret).acknowledge({
      id: "AwsSolutions::AwsSolutions-SMG4",
      reason:
        "Each credential is issued by a third party (the account platform's API client, the OSIS user, the HR system's webhook signing key), so a rotation Lambda cannot mint a new one. Rotation is the operator procedure in README.md#deploy: the webhook accepts every key in `keys`, and the consumer re-reads its secret when a platform refuses the cached credentials.",
    });
    this.created.push(secret);
    return secret;
  }
}
