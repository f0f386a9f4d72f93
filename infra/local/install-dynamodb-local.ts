// npm `postinstall`: fetch and verify DynamoDB Local once, so the first `npm start`
// is as fast as any later one. Fails the install on an integrity mismatch.
import { installDynamoDbLocal } from './dynamodb-local';

try {
  installDynamoDbLocal(process.cwd(), (line) => console.log(`sciday: ${line}`));
} catch (error) {
  console.error(`sciday: ${(error as Error).message}`);
  process.exit(1);
}
