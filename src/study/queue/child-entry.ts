/** Where the compiled worker-child.js is, from the built code or (tests) from the TypeScript sources. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MedrexError } from '../../errors.js';
import { distDirectory } from './code-version.js';

export function workerChildEntry(moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  // Node 20 cannot fork a .ts file: from the sources, use the compiled child in dist/.
  const entry = here.endsWith('.ts') ? join(distDirectory(moduleUrl), 'study', 'queue', 'worker-child.js') : join(here, '..', 'worker-child.js');
  if (!existsSync(entry)) {
    throw new MedrexError(`a worker trains each run in a child process from the built code, and ${entry} is missing: run \`npm run build\` first`, {
      file: entry,
      rule: 'queue-not-built',
    });
  }
  return entry;
}
