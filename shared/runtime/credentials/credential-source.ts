/**
 * The seam every credential passes through. Deployed functions read Secrets Manager; the local
 * stack and tests hold static values. Callers never know which.
 */
export interface CredentialSource<T> {
  /** The current credentials (cached where the source caches). */
  get(): Promise<T>;
  /** Forget any cached value and read again: after a platform refused the cached one (rotation). */
  refresh(): Promise<T>;
}
