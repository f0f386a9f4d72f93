/**
 * CDK entry point (`cdk.json`: `npx tsx infra/app.ts`). Context: `stage` (default `dev`): when
 * `infra/stages/<stage>.json` exists, that file configures the stage (infra/stage-config.ts,
 * docs/deploy.md) and the flags below are not needed; otherwise
 * `frontEndOrigins` (comma-separated https origins; `http://localhost:3000` by default in the dev and
 * test stages only), the issuer (`jwtIssuer`, `jwtAudience`, …), the web app (`webAssets`, default
 * `web/dist`; `webDomain`, `webCertificateArn` or `webIamCertificateId`; `web=false` to leave it
 * out) and the API's edge (`apiEdge=false` to leave it out), see build-app.ts, docs/deploy-web.md
 * and docs/security.md.
 *
 * The stacks take the account and region the CDK CLI resolved from the AWS profile
 * (`CDK_DEFAULT_ACCOUNT`, `CDK_DEFAULT_REGION`) when it did: a China region then takes the China
 * path, and the API's edge can hand its us-east-1 web ACL to the API's region (ADR 0033). Without
 * a profile the stacks are environment-agnostic, as before.
 *
 * @example
 * npm run build:web && npx cdk synth -c stage=prod -c webDomain=kepu.example.org -c webCertificateArn=arn:aws:acm:us-east-1:…
 */
import * as path from 'node:path';
import { App, type Environment } from 'aws-cdk-lib';
import { prebundle } from './bundling';
import { buildApp } from './build-app';
import { readStageFile } from './stage-config';
import { topology } from './topology';

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const env: Environment | undefined = account || region ? { ...(account ? { account } : {}), ...(region ? { region } : {}) } : undefined;

// Every function's bundle at once, before the stacks stage them one by one (infra/bundling.ts,
// ADR 0036); skipped when the CLI asks for no bundling (`aws:cdk:bundling-stacks: []`).
const probe = new App({ autoSynth: false });
const bundlingStacks: unknown = probe.node.tryGetContext('aws:cdk:bundling-stacks');
const skipBundling = Array.isArray(bundlingStacks) && bundlingStacks.length === 0;
const cleanUp = skipBundling ? () => undefined : await prebundle(topology, process.cwd(), path.resolve(probe.outdir));

// A stage with a file (infra/stages/<stage>.json) takes its account, region and settings from it.
const stageConfig = readStageFile(process.cwd(), String(probe.node.tryGetContext('stage') ?? 'dev'));
buildApp({ env, stageConfig }).app.synth();
cleanUp();
