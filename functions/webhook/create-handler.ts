import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { readDeadlineMs } from "../../shared/runtime/webhook/read-deadline.ts";
import type { WebhookDependencies } from "../../shared/runtime/webhook/webhook-dependencies.ts";
import { handleWebhookRequest } from "../../shared/runtime/webhook/webhook-request-handler.ts";
import { fromApiGatewayEvent, toApiGatewayResult } from "./api-gateway-request.ts";

/**
 * The webhook as a Lambda handler behind an API Gateway REST API (Lambda proxy integration). No body parser runs here:
 * the signature is checked over the raw bytes inside `handleWebhookRequest`, before anything else.
 */
export function createWebhookHandler(dependencies: WebhookDependencies) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(dependencies.logger, { resetKeys: true }))
    .use(logMetrics(dependencies.metrics, { captureColdStartMetric: true }))
    .handler(async (event, context) =>
      toApiGatewayResult(
        await handleWebhookRequest(fromApiGatewayEvent(event), {
          ...dependencies,
          readDeadlineMs: readDeadlineMs(context.getRemainingTimeInMillis()),
        }),
      ),
    );
}
