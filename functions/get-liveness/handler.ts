// (HTTP GET /health/live) --> { status: 'ok' } --> (nothing: no AWS call, no dependency)
// The cheap probe for load balancers and uptime monitors; GET /health is the deep check (ADR 0033).
import { apiHandler } from '../../shared/http/api-handler';
import { LIVENESS } from '../../shared/http/liveness';
import { json } from '../../shared/http/middleware';

const getLiveness = async () => json(200, LIVENESS, { 'cache-control': 'no-store' });

export const handler = apiHandler('get-liveness', getLiveness);
