import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  createDynamoDbClient,
  createSqsClient,
  LOCAL_AWS_CREDENTIALS,
} from "../shared/runtime/aws/aws-clients.ts";

export const LOCAL_REGION = "us-east-1";

/** What every AWS client of the local stack is given: the region, and the stand-ins' credentials. */
export const LOCAL_AWS = { region: LOCAL_REGION, credentials: LOCAL_AWS_CREDENTIALS };

export interface LocalAwsClients {
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
}

/** Clients on the stand-ins, destroyed when the stack stops. */
export function createLocalAwsClients(
  endpoints: { sqs: string; dynamodb: string },
  teardown: AsyncDisposableStack,
): LocalAwsClients {
  const destroyed = <T extends { destroy(): void }>(client: T): T =>
    teardown.adopt(client, () => client.destroy());
  return {
    sqs: destroyed(createSqsClient({ ...LOCAL_AWS, endpoint: endpoints.sqs })),
    dynamodb: destroyed(createDynamoDbClient({ ...LOCAL_AWS, endpoint: endpoints.dynamodb })),
  };
}
