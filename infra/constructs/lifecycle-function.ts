import { fileURLToPath } from "node:url";
import { type Duration, type RemovalPolicy, Validations } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { PRODUCT_METRICS } from "../../shared/contract/metrics.ts";
import type { LogLevelName } from "../context-key-rules.ts";

/** Where package-lock.json is: esbuild resolves dependencies from here, whatever the cwd. */
const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** How a function logs; the stack gives every function the same. */
export interface FunctionLogging {
  level: LogLevelName;
  retention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

export interface LifecycleFunctionProps {
  /** The handler module's absolute path (it exports `handler`); it must lie in the project. */
  entry: string;
  description: string;
  /** The `service` of its log lines and metrics (`POWERTOOLS_SERVICE_NAME`). */
  service: string;
  environment: Readonly<Record<string, string>>;
  memorySize: number;
  timeout: Duration;
  logging: FunctionLogging;
}

/**
 * A function of this product: Node 24 on arm64, bundled locally by esbuild (no Docker) as one
 * minified ES module with a source map, its own log group with a retention, and a role that may
 * write to that log group and nothing else until the stack grants it more.
 */
export class LifecycleFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: LifecycleFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, "Logs", {
      retention: props.logging.retention,
      removalPolicy: props.logging.removalPolicy,
    });
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy: that one may
    // create and write any log group in the account; this one writes its own only.
    this.role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `${props.description} (execution role)`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, "Function", {
      entry: props.entry,
      handler: "handler",
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      // Stack traces then name the .ts source lines, through the bundled source map.
      environment: {
        ...props.environment,
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: PRODUCT_METRICS.namespace,
      },
      logGroup: this.logGroup,
      // Advanced logging controls: the level is set here, and Powertools' Logger reads it.
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logging.level],
      role: this.role,
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        // Some dependencies are CommonJS inside and call `require`, which ES modules lack.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        mainFields: ["module", "main"],
        target: "node24",
        minify: true,
        sourceMap: true,
        // Stack traces need only the mappings; the sources would triple the map's size.
        sourcesContent: false,
        // The runtime's own SDK version moves under us; the bundled one is the one tested.
        bundleAwsSDK: true,
      },
    });
    Validations.of(this.function).acknowledge({
      id: "Serverless::Serverless-LambdaTracing",
      reason:
        "The functions' SDK and HTTP clients are not instrumented for X-Ray, so active tracing would record only the Lambda service segment (and need xray:Put* on every resource). Each event is followed instead by its id through the structured logs, the ledger history and the EMF metrics.",
    });
  }
}
