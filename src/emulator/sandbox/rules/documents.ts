import {
  DWOLLA_DOCUMENT_CONTENT_TYPES,
  DWOLLA_DOCUMENT_MAX_BYTES,
} from '../../../documents/document-file.js';
import { halLink } from '../../answer/resource-links.js';
import type { UploadedFile } from '../../check/request-body.js';
import { DuplicateResourceError, InvalidResourceStateError, SandboxError } from '../errors.js';
import type { FamilyRules } from '../family.js';
import { selfHref, splitKey, type StoredResource } from '../store.js';

/** Documents awaiting review a customer or owner may have at once (Dwolla: four). */
export const MAX_PENDING_DOCUMENTS = 4;

/** Dwolla's two Sandbox sample files, recognised by name (developers.dwolla.com "Testing"). */
export const SAMPLE_DOCUMENTS: Readonly<Record<string, 'accepted' | 'rejected'>> = {
  'test-document-upload-success.png': 'accepted',
  'test-document-upload-fail.png': 'rejected',
};

/** Why the Sandbox's failing sample is rejected (not documented: chosen, see the README). */
const SAMPLE_FAILURE = {
  reason: 'ScanNotReadable',
  description: 'The image is blurry, too dark or obscured by glare.',
};

/** What the document rules remember of a document (StoredResource.memo). */
type DocumentMemo = { sha256: string; review?: 'accepted' | 'rejected' };

/** A document's topics, by whose it is: a customer's, or a beneficial owner's. */
const topicFor = (document: StoredResource, what: string) =>
  document.parent?.startsWith('beneficial-owners/')
    ? `customer_beneficial_owner_verification_document_${what}`
    : `customer_verification_document_${what}`;

const MB = DWOLLA_DOCUMENT_MAX_BYTES / (1024 * 1024);

/** The file's type, as its part declares it, else as its name's extension implies it. */
function fileType(file: UploadedFile): string | undefined {
  const declared = file.type.split(';')[0]!.trim().toLowerCase();
  if (declared in DWOLLA_DOCUMENT_CONTENT_TYPES) return declared;
  const extension = /\.[^.]*$/.exec(file.name.toLowerCase())?.[0] ?? '';
  return Object.keys(DWOLLA_DOCUMENT_CONTENT_TYPES).find((type) =>
    DWOLLA_DOCUMENT_CONTENT_TYPES[type]!.includes(extension),
  );
}

/** Whether its owner may upload a document now: a verified-type customer in `document` status,
 * or a beneficial owner in `document`. */
function awaitsDocument(owner: StoredResource | undefined): boolean {
  if (owner?.type === 'beneficial-owners') return owner.body.verificationStatus === 'document';
  const { type, status } = owner?.body ?? {};
  return (type === 'personal' || type === 'business') && status === 'document';
}

/**
 * Identity documents (`POST /customers/{id}/documents`, `/beneficial-owners/{id}/documents`):
 * taken only from a customer or owner in `document` status (else 403 InvalidResourceState); the
 * file's type, size and count are Dwolla's limits, as the client's own checks
 * (src/documents/document-file.ts) hold them; the same file twice is 400 DuplicateResource about
 * the first. Dwolla's sample files are reviewed at once: `..._uploaded`, then `..._approved` and
 * the owner verified, or `..._failed` (the owner still needs a document). Any other file waits
 * for a review that never comes in the Sandbox.
 */
export const documents: FamilyRules = {
  types: ['documents'],
  defaults: { status: 'pending', documentVerificationStatus: 'pending' },
  creating(draft, sandbox) {
    const owner = draft.parent;
    if (!awaitsDocument(owner)) {
      throw new InvalidResourceStateError(
        'Resource cannot be modified. Document creation not allowed for already verified Customers or non-verified Customer types.',
      );
    }
    const file = draft.files?.file;
    const type = file && fileType(file);
    const business = owner?.body.type === 'business';
    if (!file || !type || (type === 'application/pdf' && !business)) {
      throw new SandboxError(
        400,
        'InvalidFileType',
        'File types supported: Personal IDs - .jpg, .jpeg or .png. Business Documents - .jpg, .jpeg, .png, or .pdf.',
      );
    }
    if (file.size > DWOLLA_DOCUMENT_MAX_BYTES) {
      throw new SandboxError(413, 'FileTooLarge', `Document requests are limited to ${MB} MiB.`);
    }
    const siblings = sandbox.store
      .list('documents')
      .filter((d) => d.parent === `${owner!.type}/${owner!.id}`);
    const same = siblings.find((d) => (d.memo as DocumentMemo | undefined)?.sha256 === file.sha256);
    if (same) {
      throw new DuplicateResourceError(
        'Document already exists.',
        halLink(selfHref(same, sandbox.origin()), 'documents'),
      );
    }
    if (siblings.filter((d) => d.body.status === 'pending').length >= MAX_PENDING_DOCUMENTS) {
      throw new SandboxError(
        400,
        'MaximumNumberOfResources',
        `Max of ${MAX_PENDING_DOCUMENTS} files upload allowed. Please wait for Dwolla to manually check the documents.`,
      );
    }
    draft.given = { type: draft.given.documentType };
    draft.memo = {
      sha256: file.sha256,
      review: SAMPLE_DOCUMENTS[file.name],
    } satisfies DocumentMemo;
  },
  createdTopics: (document) => [topicFor(document, 'uploaded')],
  created(document, sandbox) {
    const review = (document.memo as DocumentMemo | undefined)?.review;
    if (!review) return;
    const failure =
      review === 'rejected'
        ? { failureReason: SAMPLE_FAILURE.reason, allFailureReasons: [SAMPLE_FAILURE] }
        : {};
    sandbox.change(document, {
      status: 'reviewed',
      documentVerificationStatus: review,
      ...failure,
    });
    const owner = sandbox.store.get(...splitKey(document.parent));
    if (review !== 'accepted' || !owner || !awaitsDocument(owner)) return;
    const field = owner.type === 'beneficial-owners' ? 'verificationStatus' : 'status';
    sandbox.change(owner, { [field]: 'verified' });
  },
  updatedTopics(before, after) {
    const now = after.body.documentVerificationStatus;
    if (now === before.body.documentVerificationStatus) return [];
    if (now === 'accepted') return [topicFor(after, 'approved')];
    return now === 'rejected' ? [topicFor(after, 'failed')] : [];
  },
};
