// (HTTP GET /health/live) --> { status: 'ok' } --> (nothing: no AWS call, no dependency)
// The cheap probe for load balancers and uptime monitors; GET /health is the deep check (ADR 0033).
// It loads no library (no middy, Powertools or zod: ADR 0043, its matched bare bundle is an empty
// handler). It cannot fail, so there is no problem to shape, and a probe that monitors call every
// few seconds is not logged: the gateway's access log records each call.
import { LIVENESS } from '../../shared/http/liveness-body';

const BODY = JSON.stringify(LIVENESS);

export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: BODY,
});
