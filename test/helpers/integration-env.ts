// Integration tests wait on real services (queues, streams, a JVM): allow them a minute.
jest.setTimeout(60_000);
// Repositories used from the tests themselves sign list cursors too (their own key, not the runtime's).
process.env.SCIDAY_CURSOR_KEY ??= Buffer.alloc(32, 'integration-cursor-key').toString('base64url');
// Pseudonyms and contact hashes (ADR 0047): a fixed key, never a secret.
process.env.SCIDAY_PSEUDONYM_KEY ??= Buffer.alloc(32, 'integration-pseudonym-key').toString('base64url');
// ...and seal webhook URLs (their own key: tests that read the runtime's items open them with the data dir's key).
process.env.SCIDAY_WEBHOOK_KEY ??= Buffer.alloc(32, 'integration-webhook-key').toString('base64url');
