/**
 * The contract's request limits, in a module of their own: the body-limit middleware every handler
 * runs needs them, and must not bring request.ts's readers (and zod with them) into a handler that
 * reads nothing, such as GET /health/live (cold start, ADR 0043).
 */

/** The contract's body limit; the local gateway enforces it before any handler, `bodyLimit()` on AWS. */
export const MAX_BODY_BYTES = 256 * 1024;
