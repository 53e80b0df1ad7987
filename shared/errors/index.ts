export * from "./configuration-error.ts";
export * from "./credentials-not-configured-error.ts";
export * from "./platform-errors.ts";
