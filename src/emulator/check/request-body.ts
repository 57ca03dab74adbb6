import { createHash } from 'node:crypto';
import type { Operation } from '../spec/operations.js';

/** A file part of a multipart body, as the sandbox may judge it (a document upload). */
export type UploadedFile = {
  /** The part's file name. */
  name: string;
  /** The part's Content-Type ('' when it gave none). */
  type: string;
  size: number;
  /** Hex SHA-256 of its bytes: the same file sent twice has the same digest. */
  sha256: string;
};

export type ParsedBody =
  | { kind: 'none' }
  /** `schemaAt`: pointer to the schema of the declared media type the body was matched to. */
  | {
      kind: 'parsed';
      value: unknown;
      schemaAt: string | undefined;
      /** Whether the body as sent said nothing (null, '' or {}), when `value` is not all of it. */
      empty?: boolean;
      /** A multipart body's file parts by field name (in `value` each is its file name). */
      files?: Record<string, UploadedFile>;
    }
  | { kind: 'malformed'; message: string }
  | { kind: 'unsupported'; mediaType: string };

/** The media type of a Content-Type (or Accept item) value, without parameters, lower case. */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** `null`, `''` and `{}` say nothing (see success-status.ts). */
export function isEmptyValue(value: unknown): boolean {
  return (
    value === null ||
    value === '' ||
    (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
  );
}

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[^;]+\+json$/.test(mediaType);
}

/**
 * Parses a request body by its Content-Type and matches it to one of the operation's declared
 * media types. Dwolla takes JSON sent as application/json or application/vnd.dwolla.v1.hal+json
 * whichever of the two its spec lists, so any JSON body matches any declared JSON media type.
 * Multipart bodies are parsed with the platform's (undici's) FormData parser; a file part becomes
 * its file name, which is what a `format: binary` string property can check.
 */
export async function parseBody(
  operation: Operation,
  contentType: string | undefined,
  raw: Buffer,
): Promise<ParsedBody> {
  const declared = operation.requestBody?.content;
  if (raw.length === 0 || !declared) return { kind: 'none' };
  const mediaType = mediaTypeOf(contentType);
  const match =
    mediaType in declared
      ? mediaType
      : isJsonMediaType(mediaType)
        ? Object.keys(declared).find(isJsonMediaType)
        : undefined;
  if (match === undefined) return { kind: 'unsupported', mediaType };
  const schemaAt = declared[match];
  try {
    if (isJsonMediaType(mediaType)) {
      return { kind: 'parsed', value: JSON.parse(raw.toString('utf8')), schemaAt };
    }
    if (mediaType === 'application/x-www-form-urlencoded') {
      return {
        kind: 'parsed',
        value: entriesToObject(new URLSearchParams(raw.toString('utf8'))),
        schemaAt,
      };
    }
    if (mediaType === 'multipart/form-data') {
      const form = await new Response(raw as unknown as BodyInit, {
        headers: { 'content-type': contentType! },
      }).formData();
      return { kind: 'parsed', value: entriesToObject(form), schemaAt, files: await filesOf(form) };
    }
    return { kind: 'parsed', value: raw.toString('utf8'), schemaAt };
  } catch (error) {
    return { kind: 'malformed', message: (error as Error).message };
  }
}

/** The file parts of a form, by field name (the first of a repeated one). */
async function filesOf(form: FormData): Promise<Record<string, UploadedFile> | undefined> {
  let files: Record<string, UploadedFile> | undefined;
  for (const [key, value] of form) {
    if (!(value instanceof Blob) || files?.[key]) continue;
    const sha256 = createHash('sha256')
      .update(new Uint8Array(await value.arrayBuffer()))
      .digest('hex');
    const name = (value as File).name ?? 'blob';
    (files ??= {})[key] = { name, type: value.type, size: value.size, sha256 };
  }
  return files;
}

/** Form fields as an object: a repeated field becomes an array, a file its name. */
export function entriesToObject(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of entries) {
    const value = raw instanceof Blob ? ((raw as File).name ?? 'blob') : raw;
    const prior = out[key];
    out[key] =
      prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}
