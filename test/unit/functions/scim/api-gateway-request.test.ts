import type { APIGatewayProxyEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { fromApiGatewayEvent } from "../../../../functions/scim/api-gateway-request.ts";

const event = (overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent =>
  ({
    httpMethod: "PATCH",
    path: "/scim/v2/Users/u1",
    headers: { Authorization: "Bearer t", "X-Forwarded-Proto": "https" },
    queryStringParameters: null,
    isBase64Encoded: true,
    body: Buffer.from('{"a":1}').toString("base64"),
    requestContext: {
      domainName: "abc.execute-api.eu-west-1.amazonaws.com",
      path: "/webhooks/scim/v2/Users/u1",
    },
    ...overrides,
  }) as unknown as APIGatewayProxyEvent;

describe("the SCIM function's request from API Gateway's proxy event", () => {
  it("takes the path under /scim/v2, lower-cased headers, the decoded body, and the base URL the client called (stage included)", () => {
    const request = fromApiGatewayEvent(event({}));
    expect(request).toMatchObject({
      method: "PATCH",
      path: "/Users/u1",
      query: {},
      headers: { authorization: "Bearer t" },
      baseUrl: "https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/scim/v2",
    });
    expect(request.body.toString("utf8")).toBe('{"a":1}');
  });

  it("keeps a custom domain's base path, and a text body as it is", () => {
    const request = fromApiGatewayEvent(
      event({
        requestContext: {
          domainName: "hr.example.com",
          path: "/identity/scim/v2/Users/u1",
        } as APIGatewayProxyEvent["requestContext"],
        isBase64Encoded: false,
        body: "{}",
        queryStringParameters: { filter: 'userName eq "a"' },
      }),
    );
    expect(request.baseUrl).toBe("https://hr.example.com/identity/scim/v2");
    expect(request.query.filter).toBe('userName eq "a"');
    expect(request.body.toString("utf8")).toBe("{}");
  });
});
