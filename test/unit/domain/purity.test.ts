// shared/domain imports nothing from AWS and does no I/O (the lint rule says so too; this
// test keeps it true even if the lint config changes).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '..', '..', '..', 'shared', 'domain');
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

describe('Module: shared/domain', () => {
  it.each(files)('%s imports only zod and the domain itself', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const imports = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    // zod: only zod.ts takes the package (zod/mini and its English messages), eslint says so.
    for (const spec of imports) expect(/^zod(\/|$)/.test(spec ?? '') || spec?.startsWith('./')).toBe(true);
    expect(source).not.toMatch(/process\.env|Date\.now\(\)|new Date\(\)/);
  });
});
