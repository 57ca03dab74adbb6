/**
 * The documentation's TypeScript examples and links, read from README.md and docs/*.md.
 *
 * An example is a ```ts block. An HTML comment right before it (blank lines between are fine)
 * says how it is checked and may hold a hidden prelude:
 *
 *     <!-- example: sandbox run continues
 *     declare const customerId: string;
 *     -->
 *
 * Words after `example:`: `run` (also run against the emulator, not only type-checked),
 * `sandbox` (the prelude gives `dwolla`, a client of the test's emulator, and `emu`, that
 * emulator), `continues` (the previous example of the same file, prelude included, comes first).
 * The lines after the first are more prelude, code the reader does not see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Example {
  /** README.md or docs/<guide>.md, relative to the repository. */
  file: string;
  /** Line of the opening fence (1-based). */
  line: number;
  code: string;
  run: boolean;
  sandbox: boolean;
  continues: boolean;
  prelude: string;
}

const WORDS = new Set(['run', 'sandbox', 'continues']);

/** README.md and every docs/*.md, relative to `root`. */
export function documentationFiles(root: string): string[] {
  const guides = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join('docs', name));
  return ['README.md', ...guides];
}

/** The ```ts blocks of one Markdown file, with what their comments say. */
export function examplesOf(root: string, file: string): Example[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const examples: Example[] = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence !== undefined) {
      if (line.trimStart().startsWith(fence)) fence = undefined;
      continue;
    }
    const open = /^(\s*)(`{3,}|~{3,})\s*(\S*)/.exec(line);
    if (!open) continue;
    fence = open[2]!;
    if (open[3] !== 'ts' && open[3] !== 'typescript') continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence); j++) body.push(lines[j]!);
    if (j === lines.length) throw new Error(`${file}:${i + 1}: a ts block is never closed`);
    examples.push({ file, line: i + 1, code: body.join('\n'), ...commentBefore(lines, i, file) });
  }
  return examples;
}

/** What the `<!-- example … -->` comment ending just above line `at` says (none: defaults). */
function commentBefore(lines: string[], at: number, file: string) {
  const found = { run: false, sandbox: false, continues: false, prelude: '' };
  let end = at - 1;
  while (end >= 0 && lines[end]!.trim() === '') end--;
  if (end < 0 || !lines[end]!.trimEnd().endsWith('-->')) return found;
  let start = end;
  while (start >= 0 && !lines[start]!.trimStart().startsWith('<!--')) start--;
  const text = lines.slice(start, end + 1).join('\n');
  const comment = /^\s*<!--\s*example(?::([^\n]*?))?\s*(?:-->\s*$|\n([^]*?)-->\s*$)/.exec(text);
  if (!comment) return found;
  for (const word of (comment[1] ?? '').split(/[\s,]+/).filter(Boolean)) {
    if (!WORDS.has(word)) throw new Error(`${file}:${start + 1}: unknown example word "${word}"`);
    found[word as 'run' | 'sandbox' | 'continues'] = true;
  }
  found.prelude = comment[2] ?? '';
  return found;
}

/** Every relative link target of a Markdown file: [text](target) and ![alt](target). */
export function relativeLinks(root: string, file: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  let fenced = false;
  readFileSync(join(root, file), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (/^\s*(`{3,}|~{3,})/.test(line)) fenced = !fenced;
      if (fenced) return;
      const prose = line.replace(/`[^`]*`/g, '');
      for (const [, target] of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue;
        links.push({ target: target!, line: i + 1 });
      }
    });
  return links;
}

/** GitHub's anchors for the headings of a Markdown file (`## The dashboard: \`/_dashboard\`` →
 * `the-dashboard-_dashboard`; a repeated heading gets `-1`, `-2`). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\- ]/gu, '')
      .replace(/ /g, '-');
    let anchor = slug;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${slug}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** `path` relative to `root`, with forward slashes. */
export function fromRoot(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}
