// The README stays a first screen, not a manual, and no relative link in it or in docs/ is dead
// (a file that moved, a heading renamed under an anchor).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentationFiles, headingAnchors, relativeLinks } from './markdown.js';

const ROOT = resolve(import.meta.dirname, '../..');
const README_MAX_LINES = 200;

describe('the documentation', () => {
  it(`README.md has at most ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('has guides in docs/', () => {
    expect(documentationFiles(ROOT).length).toBeGreaterThan(5);
  });

  it.each(documentationFiles(ROOT))('every relative link in %s resolves', (file) => {
    const dead: string[] = [];
    for (const { target, line } of relativeLinks(ROOT, file)) {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const to = path === '' ? join(ROOT, file) : resolve(ROOT, dirname(file), decodeURI(path));
      if (!to.startsWith(ROOT + '/') || !existsSync(to)) {
        dead.push(`${file}:${line}: ${target} (no such file)`);
      } else if (anchor !== undefined) {
        const isMarkdown = statSync(to).isFile() && to.endsWith('.md');
        if (!isMarkdown || !headingAnchors(readFileSync(to, 'utf8')).has(anchor)) {
          dead.push(`${file}:${line}: ${target} (no heading #${anchor})`);
        }
      }
    }
    expect(dead).toEqual([]);
  });
});
