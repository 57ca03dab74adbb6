// Every ```ts block of README.md and docs/*.md is type-checked against the package (its entry
// points mapped to src/, in one TypeScript program), and the runnable ones (the quick start, one
// per guide) run against the emulator: a renamed export or option breaks the build, not a reader.
// The blocks that import './dwolla/index.js' get Dwolla's full spec generated there, as a user's
// `npx dwolla-openapi-client generate --output src/dwolla` would.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInto, prepareSpec } from '../../scripts/codegen.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { documentationFiles, examplesOf, type Example } from './markdown.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** What a `sandbox` example starts with: `dwolla` on the runner's emulator, and `emu`. */
const SANDBOX_PRELUDE = `import * as docsPackage from 'dwolla-openapi-client';
const { emu, key: docsKey, secret: docsSecret } = globalThis.docsSandbox;
const dwolla = docsPackage.createDwollaClient({ key: docsKey, secret: docsSecret, baseUrl: emu.url });
`;

/** The package's entry points (package.json `exports`) → their sources. */
function entryPoints(): Record<string, string> {
  const { name, exports } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, { import?: { types: string } }>;
  };
  const paths: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(exports)) {
    if (!target.import) continue; // ./package.json
    const built = /^\.\/dist\/(.+)\.d\.ts$/.exec(target.import.types)![1]!;
    // The client runtime is built from the generated folder; every other entry from src/ as is.
    const source = built === 'client/index' ? 'src/generated/client/index.ts' : `src/${built}.ts`;
    if (!existsSync(join(ROOT, source))) throw new Error(`no source ${source} for ${subpath}`);
    paths[subpath === '.' ? name : `${name}/${subpath.slice(2)}`] = [join(ROOT, source)] as never;
  }
  return paths;
}

interface Written {
  example: Example;
  path: string;
  /** Line of the example's first code line in the written file (1-based). */
  codeLine: number;
}

/** The example's program: its prelude (and, if it continues one, the previous example's). */
function program(examples: Example[], index: number): { text: string; sandbox: boolean } {
  const example = examples[index]!;
  const previous = example.continues ? program(examples, index - 1) : undefined;
  if (example.continues && (index === 0 || examples[index - 1]!.file !== example.file)) {
    throw new Error(`${example.file}:${example.line}: "continues" but no example before it`);
  }
  const sandbox = example.sandbox || (previous?.sandbox ?? false);
  const own = `${example.prelude}\n${example.code}\n`;
  return { text: `${previous?.text ?? ''}${own}`, sandbox };
}

async function writeExamples(dir: string, examples: Example[]): Promise<Written[]> {
  return Promise.all(
    examples.map(async (example, index) => {
      const { text, sandbox } = program(examples, index);
      const head = sandbox ? SANDBOX_PRELUDE : '';
      const before = `${head}${text.slice(0, text.length - example.code.length - 1)}`;
      const name = `${example.file.replace(/[/.]/g, '-')}-L${example.line}.ts`;
      const path = join(dir, name);
      await writeFile(path, `${before}${example.code}\nexport {};\n`);
      return { example, path, codeLine: before.split('\n').length };
    }),
  );
}

/** tsc's problems with the examples, each as `file.md:line: message`. */
function typeProblems(dir: string, written: Written[]): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  })!;
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const byPath = new Map(written.map((w) => [resolve(w.path), w]));
  // Only the examples' own diagnostics: npm run typecheck checks src/, and asking for its files'
  // would check every function body of the package again.
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...written.flatMap((w) => {
      const file = program.getSourceFile(w.path);
      if (!file) throw new Error(`${w.path} is not in the program`);
      return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    }),
  ];
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined) return message;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
    const w = byPath.get(resolve(d.file.fileName));
    if (!w) return `${d.file.fileName}:${line}: ${message}`;
    const where =
      line >= w.codeLine
        ? `${w.example.file}:${w.example.line + 1 + line - w.codeLine}`
        : `${w.example.file}:${w.example.line} (prelude line ${line})`;
    return `${where}: ${message}`;
  });
}

/** Runs the examples with run-examples.ts, in `dir` (the package mapped to src/ by its tsconfig). */
async function runExamples(dir: string, runnable: Written[]) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('DWOLLA_')),
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'test/docs/run-examples.ts'),
      UPSTREAM_SPEC,
      ...runnable.map((w) => w.path),
    ],
    {
      cwd: dir,
      env: { ...env, TSX_TSCONFIG_PATH: join(dir, 'tsconfig.json') },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return { runnable, stdout };
}

describe.skipIf(!HAS_UPSTREAM_SPEC)(
  `the documentation's examples (skipped without Dwolla's spec at ${UPSTREAM_SPEC})`,
  () => {
    const examples = documentationFiles(ROOT).flatMap((file) => examplesOf(ROOT, file));
    let dir: string;
    let written: Written[];
    let running: ReturnType<typeof runExamples>;

    beforeAll(async () => {
      await mkdir(join(ROOT, '.tmp'), { recursive: true });
      // Inside the repository: the examples' imports of express, undici… find node_modules.
      dir = await mkdtemp(join(ROOT, '.tmp', 'docs-examples-'));
      await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      await writeFile(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: join(ROOT, 'tsconfig.json'),
          compilerOptions: { paths: entryPoints(), noEmit: true },
          include: ['*.ts', join(ROOT, 'test/docs/sandbox-global.ts')],
        }),
      );
      // The quick start reads the spec from where a reader saved it.
      await symlink(UPSTREAM_SPEC, join(dir, 'dwolla-openapi.yml'));
      const { doc } = await prepareSpec(UPSTREAM_SPEC);
      await mkdir(join(dir, 'dwolla'));
      await generateInto(doc, join(dir, 'dwolla'), UPSTREAM_SPEC, {
        clientModule: 'dwolla-openapi-client/client',
      });
      written = await writeExamples(dir, examples);
      // In a process of its own, while this one type-checks.
      running = runExamples(
        dir,
        written.filter((w) => w.example.run),
      );
      running.catch(() => {}); // reported by the test that awaits it
    }, 300_000);

    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('has examples to check, and runs the quick start and one per guide with examples', () => {
      expect(examples.length).toBeGreaterThan(10);
      const files = new Set(examples.map((e) => e.file));
      for (const file of files) {
        expect(
          examples.filter((e) => e.file === file && e.run),
          file,
        ).not.toHaveLength(0);
      }
    });

    it('type-checks every ts block against the package', () => {
      expect(typeProblems(dir, written)).toEqual([]);
    }, 300_000);

    it('runs the runnable ones against the emulator', async () => {
      const { runnable, stdout } = await running;
      const results = stdout
        .split('\n')
        .filter((line) => line.startsWith('EXAMPLE '))
        .map(
          (line) => JSON.parse(line.slice('EXAMPLE '.length)) as { file: string; error?: string },
        );
      const failed = results
        .filter((r) => r.error)
        .map((r) => {
          const w = runnable.find((x) => x.path === r.file)!;
          return `${w.example.file}:${w.example.line}: ${r.error}`;
        });
      expect(failed).toEqual([]);
      expect(results.map((r) => r.file)).toEqual(runnable.map((w) => w.path));
    }, 300_000);
  },
);
