/**
 * The local stack's endpoints, each on 127.0.0.1 at a fixed, documented port (docs/local.md)
 * that a flag or an environment variable changes; 0 picks a free port (tests, the demo).
 */
export interface LocalEndpointSetting {
  /** What listens there, as a sentence names it. */
  readonly label: string;
  readonly defaultPort: number;
  readonly flag: string;
  readonly env: string;
}

export const LOCAL_ENDPOINTS = {
  sqs: { label: "the SQS endpoint", defaultPort: 4566, flag: "--sqs-port", env: "LOCAL_SQS_PORT" },
  dynamodb: {
    label: "the DynamoDB endpoint",
    defaultPort: 4567,
    flag: "--dynamodb-port",
    env: "LOCAL_DYNAMODB_PORT",
  },
  webhook: {
    label: "the webhook endpoint",
    defaultPort: 4570,
    flag: "--webhook-port",
    env: "LOCAL_WEBHOOK_PORT",
  },
  accountPlatform: {
    label: "the account platform simulator",
    defaultPort: 4571,
    flag: "--account-platform-port",
    env: "LOCAL_ACCOUNT_PLATFORM_PORT",
  },
  osis: {
    label: "the OSIS simulator",
    defaultPort: 4572,
    flag: "--osis-port",
    env: "LOCAL_OSIS_PORT",
  },
  bamboohr: {
    label: "the BambooHR API simulator",
    defaultPort: 4573,
    flag: "--bamboohr-port",
    env: "LOCAL_BAMBOOHR_PORT",
  },
  eventBridge: {
    label: "the EventBridge endpoint",
    defaultPort: 4574,
    flag: "--eventbridge-port",
    env: "LOCAL_EVENTBRIDGE_PORT",
  },
} as const satisfies Record<string, LocalEndpointSetting>;

export type LocalEndpointName = keyof typeof LOCAL_ENDPOINTS;
export type LocalPorts = Record<LocalEndpointName, number>;

export const LOCAL_ENDPOINT_NAMES = Object.keys(LOCAL_ENDPOINTS) as LocalEndpointName[];

/** The only interface the local stack listens on. */
export const LOCAL_HOST = "127.0.0.1";

export const DEFAULT_LOCAL_PORTS: Readonly<LocalPorts> = {
  sqs: LOCAL_ENDPOINTS.sqs.defaultPort,
  dynamodb: LOCAL_ENDPOINTS.dynamodb.defaultPort,
  webhook: LOCAL_ENDPOINTS.webhook.defaultPort,
  accountPlatform: LOCAL_ENDPOINTS.accountPlatform.defaultPort,
  osis: LOCAL_ENDPOINTS.osis.defaultPort,
  bamboohr: LOCAL_ENDPOINTS.bamboohr.defaultPort,
  eventBridge: LOCAL_ENDPOINTS.eventBridge.defaultPort,
};

/** Every port chosen by the operating system: for tests, benchmarks and the demo. */
export const EPHEMERAL_PORTS: Readonly<LocalPorts> = {
  sqs: 0,
  dynamodb: 0,
  webhook: 0,
  accountPlatform: 0,
  osis: 0,
  bamboohr: 0,
  eventBridge: 0,
};
