/**
 * numpy's side of the kernels bench as a long-lived python3 process (bench/numpy_forward.py): one case
 * at a time, one rep per request, so numpy's reps of a pass run right after ours and see about the same load.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), 'numpy_forward.py');

export interface NumpyPeer {
  /** Build the pass and run it once (numpy's warm-up). */
  prepare(pass: object): Promise<void>;
  /** One timed run of the prepared pass, in ms. */
  rep(): Promise<number>;
  close(): void;
}

/** Undefined when python3 has no numpy. */
export function startNumpyPeer(): NumpyPeer | undefined {
  if (spawnSync('python3', ['-c', 'import numpy']).status !== 0) return undefined;
  const child: ChildProcessWithoutNullStreams = spawn('python3', [script]);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ask = async (message: object): Promise<{ ready?: boolean; ms?: number }> => {
    child.stdin.write(`${JSON.stringify(message)}\n`);
    const { value, done } = await lines.next();
    if (done) throw new Error(`numpy_forward.py exited: ${stderr}`);
    return JSON.parse(value as string) as { ready?: boolean; ms?: number };
  };
  return {
    prepare: async (pass) => void (await ask({ case: pass })),
    rep: async () => (await ask({ rep: true })).ms!,
    close: () => child.stdin.end(),
  };
}
