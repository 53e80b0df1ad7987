import { Duration, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import {
  ACCOUNT_USER_KEY_PREFIX,
  PERSON_KEY_PREFIX,
  SCIM_KEY_PREFIX,
} from "../../shared/contract/ledger-keys.ts";
import {
  ACCOUNT_PLATFORM_TENANT_ID,
  LEDGER_TABLE,
  OSIS_CD_TENANT_ID,
  PROTECTED_ACCOUNTS,
  QUEUE_URL,
  SCIM_TOKEN_SECRET_ID,
} from "../../shared/contract/setting-names.ts";
import { type FunctionLogging, LifecycleFunction } from "./lifecycle-function.ts";
import { platformEnvironment } from "./platform-environment.ts";

export interface ScimFunctionProps {
  entry: string;
  queue: IQueue;
  ledger: ITable;
  accountPlatform: { url: string; tenantId: string; secret: ISecret };
  osis: { url: string; basePath: string; cdTenantId: string; secret: ISecret };
  protectedAccounts: string;
  tokenSecret: ISecret;
  /** Extra environment variables (SCIM_*, docs/scim.md), passed through unchanged. */
  tuning: Readonly<Record<string, string>>;
  logging: FunctionLogging;
}

/**
 * The SCIM endpoint's function, behind the webhook's REST API (`/scim/v2/{proxy+}`). A
 * function of its own because it reads the platforms, so it holds their credentials, which
 * the public webhook function does not. Its permissions are exactly: send to the queue, read
 * its three secrets, read the SCIM, account-user and person items of the ledger, and write
 * only the SCIM items (a `dynamodb:LeadingKeys` condition on each).
 */
export class ScimFunction extends Construct {
  /** API Gateway gives up on an integration after 29 s; an identity provider waits 60 s. */
  static readonly TIMEOUT_SECONDS = 28;

  readonly lambda: LifecycleFunction;

  constructor(scope: Construct, id: string, props: ScimFunctionProps) {
    super(scope, id);
    this.lambda = new LifecycleFunction(this, "Scim", {
      entry: props.entry,
      description: "HR lifecycle sync: SCIM 2.0 users for identity providers, as queued events",
      service: "scim",
      memorySize: 256,
      timeout: Duration.seconds(ScimFunction.TIMEOUT_SECONDS),
      logging: props.logging,
      environment: {
        ...props.tuning,
        [QUEUE_URL]: props.queue.queueUrl,
        [LEDGER_TABLE]: props.ledger.tableName,
        ...platformEnvironment(props),
        [ACCOUNT_PLATFORM_TENANT_ID]: props.accountPlatform.tenantId,
        [OSIS_CD_TENANT_ID]: props.osis.cdTenantId,
        [PROTECTED_ACCOUNTS]: props.protectedAccounts,
        [SCIM_TOKEN_SECRET_ID]: props.tokenSecret.secretArn,
      },
    });
    const fn = this.lambda.function;
    props.queue.grantSendMessages(fn);
    props.accountPlatform.secret.grantRead(fn);
    props.osis.secret.grantRead(fn);
    props.tokenSecret.grantRead(fn);
    const items = (actions: string[], prefixes: string[]) =>
      new PolicyStatement({
        actions,
        resources: [props.ledger.tableArn],
        conditions: {
          "ForAllValues:StringLike": {
            "dynamodb:LeadingKeys": prefixes.map((prefix) => `${prefix}*`),
          },
        },
      });
    fn.addToRolePolicy(
      items(["dynamodb:GetItem"], [SCIM_KEY_PREFIX, ACCOUNT_USER_KEY_PREFIX, PERSON_KEY_PREFIX]),
    );
    fn.addToRolePolicy(items(["dynamodb:PutItem", "dynamodb:UpdateItem"], [SCIM_KEY_PREFIX]));
    Validations.of(fn).acknowledge({
      id: "Serverless::Serverless-LambdaDLQ",
      reason:
        "Only API Gateway invokes the SCIM function, synchronously; a function DLQ applies to asynchronous invocations only. A failure is answered 5xx with an RFC 7644 error body, which identity providers retry.",
    });
  }
}
