/** One HTTP exchange as ky makes it (once per attempt): the shape of `fetch`. */
export type FetchFunction = (
  input: Request | URL | string,
  init?: RequestInit,
) => Promise<Response>;
