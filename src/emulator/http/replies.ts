/** What the emulator answers; `body` objects are sent as JSON. */
export type Reply = {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
};

export const HAL_JSON = 'application/vnd.dwolla.v1.hal+json';

/** A Dwolla API error: `{ code, message }` as HAL+JSON, plus any extra fields. */
export function dwollaError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    headers: { 'content-type': HAL_JSON, ...headers },
    body: { code, message, ...extra },
  };
}

export const notFound = () => dwollaError(404, 'NotFound', 'The requested resource was not found.');
