/**
 * A secret still holds the placeholder the stack created it with, or does not have the
 * documented shape. Never carries the secret's value.
 */
export class CredentialsNotConfiguredError extends Error {
  override readonly name = "CredentialsNotConfiguredError";
  readonly secretId: string;
  constructor(secretId: string, reason: string) {
    super(`Secret ${secretId} is not usable: ${reason}`);
    this.secretId = secretId;
  }
}
