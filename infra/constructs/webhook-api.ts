import { Duration, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  HttpApi,
  HttpMethod,
  type HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { grantLedgerActions } from "./ledger-table.ts";
import { type FunctionLogging, LifecycleFunction } from "./lifecycle-function.ts";

export interface WebhookApiProps {
  entry: string;
  queue: IQueue;
  webhookSecret: ISecret;
  bambooHrSecret: ISecret;
  bambooHrApiSecret: ISecret;
  /** Read with GetItem only: a deleted BambooHR employee's last resolved platform ids. */
  ledger: ITable;
  tuning: Readonly<Record<string, string>>;
  throttle: { ratePerSecond: number; burst: number };
  logging: FunctionLogging;
}

/**
 * The public entry for HR systems: an HTTP API with two routes into one function, which checks
 * the signature and enqueues the event. There is no API Gateway authorizer: a request is
 * authenticated by its signature (Standard Webhooks for /events, BambooHR's for /bamboohr).
 */
export class WebhookApi extends Construct {
  static readonly ROUTES = ["/events", "/bamboohr"] as const;
  static readonly TIMEOUT_SECONDS = 25;

  readonly lambda: LifecycleFunction;
  readonly api: HttpApi;
  readonly stage: HttpStage;
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
      // up on an integration after 30 s.
      timeout: Duration.seconds(WebhookApi.TIMEOUT_SECONDS),
      logging: props.logging,
      environment: {
        ...props.tuning,
        QUEUE_URL: props.queue.queueUrl,
        WEBHOOK_SECRET_ID: props.webhookSecret.secretArn,
        BAMBOOHR_SECRET_ID: props.bambooHrSecret.secretArn,
        BAMBOOHR_API_SECRET_ID: props.bambooHrApiSecret.secretArn,
        LEDGER_TABLE: props.ledger.tableName,
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

    this.api = new HttpApi(this, "Api", {
      description: "HR lifecycle sync webhooks",
      createDefaultStage: false,
    });
    Validations.of(this.api).acknowledge({
      id: "AwsSolutions::AwsSolutions-APIG4",
      reason:
        "The callers are HR systems, which cannot obtain AWS or OAuth credentials; each request is authenticated by its HMAC signature (Standard Webhooks on /events, BambooHR's on /bamboohr), checked by the function against Secrets Manager keys before anything is enqueued. The stage is throttled.",
    });
    const integration = new HttpLambdaIntegration("WebhookIntegration", fn);
    for (const path of WebhookApi.ROUTES) {
      this.api.addRoutes({ path, methods: [HttpMethod.POST], integration });
    }

    this.accessLogs = new LogGroup(this, "AccessLogs", {
      retention: props.logging.retention,
      removalPolicy: props.logging.removalPolicy,
    });
    this.stage = this.api.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.ratePerSecond, burstLimit: props.throttle.burst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // No request headers or bodies: signatures and personal data stay out of the logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            time: "$context.requestTime",
            ip: "$context.identity.sourceIp",
            method: "$context.httpMethod",
            path: "$context.path",
            status: "$context.status",
            responseLength: "$context.responseLength",
            latencyMs: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
          }),
        ),
      },
    });
  }

  /** The API's base URL (no trailing slash): POST to `${url}/events` or `${url}/bamboohr`. */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
