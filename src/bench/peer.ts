/** Runs the PyTorch peer benchmark (../shared/peers/torch_bench.py) when it and a torch install are present. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** $MEDREX_PEER_SCRIPT, else `../shared/peers/torch_bench.py` beside the repository root (src/bench and dist/bench alike). */
export const DEFAULT_PEER_SCRIPT = process.env.MEDREX_PEER_SCRIPT || fileURLToPath(new URL('../../../shared/peers/torch_bench.py', import.meta.url));

/** The peer's JSON figures, or a reason why there are none. */
export function runTorchPeer(
  threads: number, script = DEFAULT_PEER_SCRIPT, python = '/usr/bin/python3',
): { ok: true; figures: Record<string, number | string> } | { ok: false; reason: string } {
  if (!existsSync(script)) return { ok: false, reason: `peer script not found: ${script}` };
  if (!existsSync(python)) return { ok: false, reason: `python not found: ${python}` };
  const run = spawnSync(python, [script, '--threads', String(threads), '--json'], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) return { ok: false, reason: `peer failed: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}` };
  const lastLine = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ok: true, figures: JSON.parse(lastLine) as Record<string, number | string> };
  } catch {
    return { ok: false, reason: `peer printed no JSON: ${lastLine.slice(0, 200)}` };
  }
}
