// Integration tests wait on real services (queues, streams, a JVM): allow them a minute.
jest.setTimeout(60_000);
