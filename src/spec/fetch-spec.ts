/**
 * `--input https://…`: a spec fetched over HTTPS (plain http only on loopback, for local
 * servers), with a size cap, an overall timeout and a bounded number of redirects, each hop
 * checked like the first. Messages name the URL without credentials or query (it may carry a token).
 */
import { parseSpec, SpecError, type OpenApiDocument } from './load-spec.js';

export interface SpecUrlLimits {
  /** Largest body accepted, in bytes (Dwolla's full spec is well under 1 MiB). */
  maxBytes: number;
  /** Time for the whole fetch, redirects and body included. */
  timeoutMs: number;
  maxRedirects: number;
}

export const SPEC_URL_LIMITS: SpecUrlLimits = {
  maxBytes: 16 * 1024 * 1024,
  timeoutMs: 60_000,
  maxRedirects: 5,
};

/** Whether `--input` names a URL rather than a file. */
export const isSpecUrl = (input: string): boolean => /^https?:\/\//i.test(input);

/** The URL as messages show it: scheme, host and path; never credentials or the query. */
export const describeSpecUrl = (url: URL): string =>
  `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;

/** How `--input` is named in messages: a file as given, a URL as describeSpecUrl shows it. */
export function specInputName(input: string): string {
  if (!isSpecUrl(input)) return input;
  return URL.canParse(input) ? describeSpecUrl(new URL(input)) : 'the --input URL';
}

const isLoopback = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

/** Refuses a URL (the first, or a redirect's target) that is not https or loopback http. */
function checkUrl(url: URL, name: string): void {
  const which = describeSpecUrl(url) === name ? '' : ` (redirected to ${describeSpecUrl(url)})`;
  if (url.username || url.password) {
    throw new SpecError(`${name}${which}: a spec URL must not carry credentials`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return;
  throw new SpecError(
    `${name}${which}: only https:// URLs are fetched (http:// only on 127.0.0.1, [::1] or localhost)`,
  );
}

/** The body as text, refusing it as soon as it passes maxBytes. */
async function readCapped(response: Response, maxBytes: number, name: string): Promise<string> {
  const tooLarge = () =>
    new SpecError(`${name}: the spec is larger than ${(maxBytes / 1024 / 1024).toFixed(0)} MiB`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel();
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Why a fetch failed, in a few words (the network error's code when it has one). */
function fetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Fetches a spec's text; every failure is a SpecError naming the URL (as describeSpecUrl shows it). */
export async function fetchSpecText(
  input: string,
  limits: SpecUrlLimits = SPEC_URL_LIMITS,
): Promise<string> {
  if (!URL.canParse(input)) throw new SpecError('the --input URL is not a valid URL');
  let url = new URL(input);
  const name = describeSpecUrl(url);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    for (let redirects = 0; ; redirects++) {
      checkUrl(url, name);
      const response = await fetch(url, {
        redirect: 'manual',
        signal,
        headers: { accept: 'application/yaml, application/json;q=0.9, */*;q=0.8' },
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        if (redirects === limits.maxRedirects) {
          throw new SpecError(`${name}: more than ${limits.maxRedirects} redirects`);
        }
        url = new URL(location, url);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new SpecError(`${name}: cannot fetch the spec (HTTP ${response.status})`);
      }
      return await readCapped(response, limits.maxBytes, name);
    }
  } catch (error) {
    if (error instanceof SpecError) throw error;
    if (signal.aborted) {
      throw new SpecError(`${name}: no complete answer within ${limits.timeoutMs / 1000} s`);
    }
    throw new SpecError(`${name}: cannot fetch the spec (${fetchFailure(error)})`);
  }
}

/** Fetches and parses a spec; every failure is a SpecError naming the URL. */
export async function loadSpecFromUrl(
  input: string,
  limits?: SpecUrlLimits,
): Promise<OpenApiDocument> {
  return parseSpec(await fetchSpecText(input, limits), specInputName(input));
}
