export * from "./bamboohr-mapping.ts";
export * from "./bamboohr-signature.ts";
export * from "./standard-webhooks.ts";
export * from "./webhook-dependencies.ts";
export * from "./webhook-request-handler.ts";
