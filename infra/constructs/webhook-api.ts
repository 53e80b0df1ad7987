import { Aws, Duration, Stack, Validations } from "aws-cdk-lib";
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type MethodDeploymentOptions,
  ResponseType,
  RestApi,
} from "aws-cdk-lib/aws-apigateway";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { FilterPattern, LogGroup, MetricFilter } from "aws-cdk-lib/aws-logs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { METRICS_NAMESPACE, WEBHOOK_REJECTED_METRIC } from "../../shared/contract/metrics.ts";
import {
  BAMBOOHR_API_SECRET_ID,
  BAMBOOHR_SECRET_ID,
  LEDGER_TABLE,
  QUEUE_URL,
  WEBHOOK_SECRET_ID,
} from "../../shared/contract/setting-names.ts";
import {
  SCIM_BASE_PATH,
  WEBHOOK_PATHS,
  type WebhookRoute,
} from "../../shared/contract/webhook-routes.ts";

import { grantLedgerActions } from "./ledger-table.ts";
import { type FunctionLogging, LifecycleFunction } from "./lifecycle-function.ts";

/** Requests per second and burst of one throttle (API Gateway's token bucket). */
export interface Throttle {
  ratePerSecond: number;
  burst: number;
}

export interface WebhookApiProps {
  entry: string;
  queue: IQueue;
  webhookSecret: ISecret;
  bambooHrSecret: ISecret;
  bambooHrApiSecret: ISecret;
  /** Read with GetItem only: a deleted BambooHR employee's last resolved platform ids. */
  ledger: ITable;
  tuning: Readonly<Record<string, string>>;
  /**
   * `stage`: any method the routes do not set; `routes`: each route's own, so a flood on one
   * cannot spend another sender's share. A route added to WEBHOOK_PATHS must be given one here.
   */
  throttle: { stage: Throttle; routes: Readonly<Record<WebhookRoute, Throttle>> };
  logging: FunctionLogging;
  /** The SCIM endpoint: every method of `/scim/v2/{proxy+}` to its own function, its own throttle. */
  scim: { function: IFunction; throttle: Throttle };
}

/**
 * The public entry for HR systems: a REST API (so that AWS WAF can sit in front of it, see
 * webhook-firewall.ts) with two resources, every method of each sent to one function, which
 * answers 405 to anything but POST, checks the signature and enqueues the event. There is no
 * API Gateway authorizer: a request is authenticated by its signature (Standard Webhooks for
 * /events, BambooHR's for /bamboohr).
 */
export class WebhookApi extends Construct {
  static readonly ROUTES = [...WEBHOOK_PATHS.keys()];
  static readonly TIMEOUT_SECONDS = 25;
  /** The stage, and so the first segment of the webhook URL's path. */
  static readonly STAGE_NAME = "webhooks";
  /** The access log's `service` field, and the `service` of the throttles it counts. */
  static readonly ACCESS_LOG_SERVICE = "webhook-api";

  readonly lambda: LifecycleFunction;
  readonly api: RestApi;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    this.lambda = new LifecycleFunction(this, "Webhook", {
      entry: props.entry,
      description: "HR lifecycle sync: verifies HR webhooks and enqueues their events",
      service: "webhook",
      memorySize: 256,
      // The worst case at the largest settings: BambooHR's API read (2 × 5 s + 1 s wait), one
      // ledger GetItem (2 × 2 s) and the enqueue (2 × 4 s) stay inside it, and API Gateway gives
      // up on an integration after 29 s.
      timeout: Duration.seconds(WebhookApi.TIMEOUT_SECONDS),
      logging: props.logging,
      environment: {
        ...props.tuning,
        [QUEUE_URL]: props.queue.queueUrl,
        [WEBHOOK_SECRET_ID]: props.webhookSecret.secretArn,
        [BAMBOOHR_SECRET_ID]: props.bambooHrSecret.secretArn,
        [BAMBOOHR_API_SECRET_ID]: props.bambooHrApiSecret.secretArn,
        [LEDGER_TABLE]: props.ledger.tableName,
      },
    });
    const fn = this.lambda.function;
    props.queue.grantSendMessages(fn);
    props.webhookSecret.grantRead(fn);
    props.bambooHrSecret.grantRead(fn);
    props.bambooHrApiSecret.grantRead(fn);
    grantLedgerActions(props.ledger, fn, ["dynamodb:GetItem"]);
    Validations.of(fn).acknowledge({
      id: "Serverless::Serverless-LambdaDLQ",
      reason:
        "Only API Gateway invokes the webhook, synchronously; a function DLQ applies to asynchronous invocations only. A failure is answered with 5xx, which HR systems retry, and raises the WebhookServerErrors alarm.",
    });

    this.accessLogs = new LogGroup(this, "AccessLogs", {
      retention: props.logging.retention,
      removalPolicy: props.logging.removalPolicy,
    });
    const methodOptions: Record<string, MethodDeploymentOptions> = {};
    for (const [path, route] of WEBHOOK_PATHS) {
      const { ratePerSecond, burst } = props.throttle.routes[route];
      methodOptions[`${path}/*`] = {
        throttlingRateLimit: ratePerSecond,
        throttlingBurstLimit: burst,
      };
    }
    const scimResource = `${SCIM_BASE_PATH}/{proxy+}`;
    methodOptions[`${scimResource}/*`] = {
      throttlingRateLimit: props.scim.throttle.ratePerSecond,
      throttlingBurstLimit: props.scim.throttle.burst,
    };
    this.api = new RestApi(this, "Api", {
      // Unique per stack in the account and region, and the ApiName of API Gateway's metrics.
      restApiName: `${Stack.of(this).stackName}-webhooks`,
      description: "HR lifecycle sync webhooks",
      endpointTypes: [EndpointType.REGIONAL],
      // Every body reaches the function base64-encoded, byte for byte: the signature is over
      // the raw bytes, which a text conversion could change.
      binaryMediaTypes: ["*/*"],
      // Execution logs would need the account-wide API Gateway role; the access log suffices.
      cloudWatchRole: false,
      deployOptions: {
        stageName: WebhookApi.STAGE_NAME,
        throttlingRateLimit: props.throttle.stage.ratePerSecond,
        throttlingBurstLimit: props.throttle.stage.burst,
        methodOptions,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        // No request headers or bodies: signatures and personal data stay out of the logs.
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            service: WebhookApi.ACCESS_LOG_SERVICE,
            requestId: "$context.requestId",
            time: "$context.requestTime",
            ip: "$context.identity.sourceIp",
            method: "$context.httpMethod",
            path: "$context.resourcePath",
            status: "$context.status",
            errorType: "$context.error.responseType",
            wafStatus: "$context.wafResponseCode",
            responseLength: "$context.responseLength",
            latencyMs: "$context.responseLatency",
            integrationError: "$context.integration.error",
          }),
        ),
      },
    });
    // The stack has its own output (WebhookUrl, without the trailing slash); not a second one.
    this.api.node.tryRemoveChild("Endpoint");
    const integration = new LambdaIntegration(fn);
    for (const path of WebhookApi.ROUTES) {
      this.api.root.addResource(path.slice(1)).addMethod("ANY", integration);
    }
    this.api.root
      .resourceForPath(scimResource)
      .addMethod("ANY", new LambdaIntegration(props.scim.function));
    // A REST API answers an unknown path 403 "Missing Authentication Token"; the webhook's
    // contract (and the local stack) say 404.
    this.api.addGatewayResponse("UnknownPath", {
      type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: "404",
      templates: { "application/json": '{"message":"Not Found"}' },
    });
    // 503, not API Gateway's 429: BambooHR never retries a 4xx, so a throttled termination
    // would be lost for good; every sender here (BambooHR, Standard Webhooks producers, Okta,
    // Entra) retries a 5xx, and Retry-After says when.
    this.api.addGatewayResponse("Throttled", {
      type: ResponseType.THROTTLED,
      statusCode: "503",
      responseHeaders: { "Retry-After": "'1'" },
      templates: { "application/json": '{"message":"Too Many Requests: retry after a second"}' },
    });

    // API Gateway's own refusals are not seen by the function: the throttle's refusals are
    // counted from the access log, as WebhookRejected with the same dimensions the function uses.
    new MetricFilter(this, "ThrottledRequests", {
      logGroup: this.accessLogs,
      filterPattern: FilterPattern.stringValue("$.errorType", "=", "THROTTLED"),
      metricNamespace: METRICS_NAMESPACE,
      metricName: WEBHOOK_REJECTED_METRIC,
      metricValue: "1",
      dimensions: { service: "$.service", status: "$.status", reason: "$.errorType" },
    });

    Validations.of(this.api).acknowledge(
      {
        id: "AwsSolutions::AwsSolutions-APIG4",
        reason:
          "The callers are HR systems, which cannot obtain AWS or OAuth credentials; each request is authenticated by its HMAC signature (Standard Webhooks on /events, BambooHR's on /bamboohr), checked by the function against Secrets Manager keys before anything is enqueued. Each route is throttled and a WAF rate rule limits each client address.",
      },
      {
        id: "AwsSolutions::AwsSolutions-COG4",
        reason:
          "No Cognito user pool can stand for an HR system: requests are authenticated by their HMAC signature in the function (see AwsSolutions-APIG4).",
      },
      {
        id: "AwsSolutions::AwsSolutions-APIG2",
        reason:
          "Request validation would read the body before its signature is checked; the function checks the signature over the raw bytes first, then the content type and the schema, and answers 400/415 with the problems.",
      },
      {
        id: "Serverless::Serverless-APIGWXrayEnabled",
        reason:
          "The function behind the API is not traced either (Serverless-LambdaTracing): an X-Ray segment of the API alone would end at the integration. A request is followed by its requestId in the access log and the function's log line, which names the webhook-id.",
      },
      {
        id: "AwsSolutions::AwsSolutions-APIG6",
        reason:
          "Execution logging needs API Gateway's account-wide CloudWatch role, shared with every API of the account; the stage writes a JSON access log (status, error type, WAF status) and the function logs every refusal.",
      },
    );
  }

  /** The API's base URL (no trailing slash): POST to `${url}/events` or `${url}/bamboohr`. */
  get url(): string {
    return `https://${this.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${WebhookApi.STAGE_NAME}`;
  }
}
