import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** A Lambda-like context: the consumer reads only the request id and the remaining time. */
export function lambdaContext(remainingMs = 60_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: "consumer",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:consumer",
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: "/aws/lambda/consumer",
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
