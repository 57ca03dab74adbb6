/** A small PDF-like file for multipart operations, and the check that it arrived intact. */
import type { RecordedRequest } from '../src/emulator/index.js';
import type { Operation } from '../src/emulator/spec/operations.js';
import { isRecord, resolve } from '../src/emulator/spec/spec-pointer.js';
import type { OpenApiDocument } from '../src/spec/load-spec.js';

const NAME = 'contract-upload.pdf';
const TYPE = 'application/pdf';
/** ASCII only (with control bytes): the emulator's request log keeps bodies as UTF-8 text. */
const BYTES = new TextEncoder().encode(
  '%PDF-1.4\n%\x01\x02\x03\x7f\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

/** The multipart body's file fields: properties of its schema that are `format: binary`. */
export function fileFields(doc: OpenApiDocument, operation: Operation): string[] {
  const schemaAt = operation.requestBody?.content['multipart/form-data'];
  const schema = schemaAt ? resolve(doc, { $ref: schemaAt }, schemaAt) : undefined;
  const properties = isRecord(schema?.value.properties) ? schema.value.properties : {};
  return Object.keys(properties).filter((name) => {
    const property = resolve(doc, properties[name], `${schema!.at}/properties/${name}`);
    return property?.value.format === 'binary' || property?.value.contentMediaType !== undefined;
  });
}

/** The body with each file field replaced by the PDF-like file. */
export function withUploads(body: unknown, fields: string[]): unknown {
  if (!isRecord(body) || fields.length === 0) return body;
  const out: Record<string, unknown> = { ...body };
  for (const field of fields) out[field] = new File([BYTES], NAME, { type: TYPE });
  return out;
}

/** Problems with the file parts as they arrived on the wire ([] when each is intact). */
export async function checkUploads(exchange: RecordedRequest, fields: string[]): Promise<string[]> {
  if (fields.length === 0) return [];
  const contentType = String(exchange.headers['content-type'] ?? '');
  let form: FormData;
  try {
    form = await new Response(Buffer.from(exchange.body, 'utf8'), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch (error) {
    return [`the multipart body did not parse: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  for (const field of fields) {
    const part = form.get(field);
    if (!(part instanceof File)) {
      problems.push(`file part ${field} did not arrive as a file`);
      continue;
    }
    const bytes = new Uint8Array(await part.arrayBuffer());
    if (part.name !== NAME) problems.push(`file part ${field} arrived named ${part.name}`);
    if (part.type !== TYPE) problems.push(`file part ${field} arrived as ${part.type}`);
    if (Buffer.compare(Buffer.from(bytes), Buffer.from(BYTES)) !== 0) {
      problems.push(
        `file part ${field} arrived with other bytes (${bytes.length} of ${BYTES.length})`,
      );
    }
  }
  return problems;
}
