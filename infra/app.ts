/**
 * CDK entry point (`cdk.json`: `npx tsx infra/app.ts`). Context: `stage` (default `dev`),
 * `frontEndOrigins` (comma-separated, default `http://localhost:3000`).
 *
 * @example
 * npx cdk synth -c stage=prod -c frontEndOrigins=https://sciday.example.org
 */
import { buildApp } from './build-app';

buildApp().app.synth();
