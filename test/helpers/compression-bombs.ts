/**
 * Compression bombs: small bodies that decode to `GiB` of zeros, built without ever holding
 * the decoded bytes (the test process must stay small for its memory assertions to mean
 * anything). gzip: 1 MiB of zeros compressed once, its member repeated (a gzip body may hold
 * several members, decoders join them). deflate and br: streamed through the compressor.
 */
import zlib from 'node:zlib';

const MiB = 1024 * 1024;

export interface Bomb {
  encoding: 'gzip' | 'deflate' | 'br';
  body: Buffer;
  /** Bytes it decodes to. */
  decodedBytes: number;
}

function compressZeros(stream: zlib.Gzip | zlib.Deflate | zlib.BrotliCompress, mib: number) {
  const zeros = Buffer.alloc(MiB);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    let written = 0;
    const write = () => {
      while (written < mib) {
        written++;
        if (!stream.write(zeros)) return void stream.once('drain', write);
      }
      stream.end();
    };
    write();
  });
}

/** gzip, deflate and br bodies that each decode to `mib` MiB of zeros. */
export async function compressionBombs(mib = 1024): Promise<Bomb[]> {
  const member = zlib.gzipSync(Buffer.alloc(MiB), { level: 9 });
  const [deflate, br] = await Promise.all([
    compressZeros(zlib.createDeflate({ level: 1 }), mib),
    compressZeros(
      zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } }),
      mib,
    ),
  ]);
  const decodedBytes = mib * MiB;
  return [
    { encoding: 'gzip', body: Buffer.concat(Array<Buffer>(mib).fill(member)), decodedBytes },
    { encoding: 'deflate', body: deflate, decodedBytes },
    { encoding: 'br', body: br, decodedBytes },
  ];
}

/**
 * Runs `work` while sampling the process's resident set size every millisecond; resolves to
 * its result and the largest growth seen over the RSS before it started.
 */
export async function peakRssGrowth<T>(
  work: () => Promise<T>,
): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 1);
  try {
    const result = await work();
    sample();
    return { result, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}
