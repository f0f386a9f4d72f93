/**
 * CDK entry point (`cdk.json`: `npx tsx infra/app.ts`). Context: `stage` (default `dev`),
 * `frontEndOrigins` (comma-separated, default `http://localhost:3000`), the issuer
 * (`jwtIssuer`, `jwtAudience`, …) and the web app (`webAssets`, default `web/dist`; `webDomain`,
 * `webCertificateArn` or `webIamCertificateId`; `web=false` to leave it out), see build-app.ts
 * and docs/deploy-web.md.
 *
 * @example
 * npm run build:web && npx cdk synth -c stage=prod -c webDomain=kepu.example.org -c webCertificateArn=arn:aws:acm:us-east-1:…
 */
import { buildApp } from './build-app';

buildApp().app.synth();
