/**
 * `npm run deploy -- --stage <name>`: prints `cdk diff` of every stack of the stage, asks, and
 * deploys only on "yes" (docs/deploy.md). The stage is `infra/stages/<name>.json` (validated by
 * synth, infra/stage-config.ts). `--yes` skips the question (a CI job that reviewed the diff).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { STAGES_DIR } from './stage-config';

const args = process.argv.slice(2);
const at = args.indexOf('--stage');
const stage = at >= 0 ? args[at + 1] : undefined;
if (!stage) {
  console.error('usage: npm run deploy -- --stage <name> [--yes]   (the stage is infra/stages/<name>.json)');
  process.exit(2);
}
const file = path.join(STAGES_DIR, `${stage}.json`);
if (!fs.existsSync(file)) {
  console.error(`no stage file ${file}: copy infra/stages/example-aws.json or example-aws-cn.json and fill it in (docs/deploy.md)`);
  process.exit(2);
}
const cdk = (command: string, extra: string[] = []): number => {
  const result = spawnSync('npx', ['cdk', command, '--all', '-c', `stage=${stage}`, '--no-notices', ...extra], {
    stdio: 'inherit',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  return result.status ?? 1;
};

if (cdk('diff') !== 0) process.exit(1);
let go = args.includes('--yes');
if (!go) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  go = (await rl.question(`Deploy these changes to stage ${stage}? Type "yes" to deploy: `)).trim() === 'yes';
  rl.close();
}
if (!go) {
  console.log('Nothing deployed.');
  process.exit(0);
}
process.exit(cdk('deploy', ['--require-approval', 'never']));
