// npm `postinstall`: fetch and verify DynamoDB Local once, so the first `npm start`
// is as fast as any later one. Fails the install on an integrity mismatch. Then its class-data
// archive (ADR 0051), which only speeds up its start: without it, it starts as before.
import { makeCdsArchive } from './dynamodb-local-cds';
import { installDynamoDbLocal } from './dynamodb-local';

const log = (line: string) => console.log(`sciday: ${line}`);
let jarDir: string;
try {
  jarDir = installDynamoDbLocal(process.cwd(), log);
} catch (error) {
  console.error(`sciday: ${(error as Error).message}`);
  process.exit(1);
}
await makeCdsArchive(jarDir, log);
