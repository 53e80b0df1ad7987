import type { KyInstance, Options } from "ky";

/** How ky's module is loaded (tests give one that fails or counts). */
export type LoadKy = () => Promise<typeof import("ky")>;

/**
 * A ky instance made at the first request, not when the module is imported. Evaluating ky runs a
 * feature check (a `Request` with a stream body, which loads part of Node's fetch) that costs a
 * cold start milliseconds before any platform is called. Bundled, the dynamic import stays in
 * the one file: only ky's evaluation moves. A failed load is not kept: the next request tries
 * again.
 */
export function kyAtFirstUse(
  options: Options,
  load: LoadKy = () => import("ky"),
): () => Promise<KyInstance> {
  let made: Promise<KyInstance> | undefined;
  return () => {
    made ??= load().then(
      (module) => module.default.create(options),
      (error: unknown) => {
        made = undefined;
        throw error;
      },
    );
    return made;
  };
}
