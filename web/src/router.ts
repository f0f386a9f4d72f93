// Routes, one chunk each (the form page's first load stays inside its budget). The unit's pages
// are for organizers; the association's console (/console/…) for the roles in each route's meta;
// the citizens' calendar (/public/…) for everyone.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import type { Role, Session } from './auth/session';
import { ensureCampaignId } from './context';

declare module 'vue-router' {
  interface RouteMeta {
    /** No sign-in needed. */
    public?: boolean;
    /** Any one of these roles opens the page; a signed-in user without them goes to their start page. */
    roles?: readonly Role[];
  }
}

const ORGANIZER: readonly Role[] = ['organizer'];
const ASSOCIATION: readonly Role[] = ['admin', 'reviewer'];

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { roles: ORGANIZER } },
  { path: '/signin', name: 'signin', component: () => import('./pages/SignInPage.vue'), meta: { public: true } },
  { path: '/auth/callback', name: 'callback', component: () => import('./pages/CallbackPage.vue'), meta: { public: true } },
  { path: '/activities', name: 'activities', component: () => import('./pages/ActivitiesPage.vue'), meta: { roles: ORGANIZER } },
  { path: '/activities/new', name: 'activity-new', component: () => import('./pages/ActivityFormPage.vue'), meta: { roles: ORGANIZER } },
  { path: '/activities/:id', name: 'activity', component: () => import('./pages/ActivityFormPage.vue'), props: true, meta: { roles: ORGANIZER } },
  {
    path: '/activities/:id/results',
    name: 'results',
    component: () => import('./pages/ResultsPage.vue'),
    props: true,
    meta: { roles: ORGANIZER },
  },
  { path: '/summary', name: 'summary', component: () => import('./pages/SummaryPage.vue'), meta: { roles: ORGANIZER } },
  // The association's console.
  { path: '/console', name: 'progress', component: () => import('./pages/console/ProgressPage.vue'), meta: { roles: ASSOCIATION } },
  {
    path: '/console/units/:orgId',
    name: 'unit',
    component: () => import('./pages/console/UnitPage.vue'),
    props: true,
    meta: { roles: ASSOCIATION },
  },
  { path: '/console/flags', name: 'flags', component: () => import('./pages/console/FlagsPage.vue'), meta: { roles: ASSOCIATION } },
  { path: '/console/reviews', name: 'reviews', component: () => import('./pages/console/ReviewPage.vue'), meta: { roles: ['reviewer'] } },
  {
    path: '/console/reviews/:orgId',
    name: 'review',
    component: () => import('./pages/console/ReviewPage.vue'),
    props: true,
    meta: { roles: ['reviewer'] },
  },
  { path: '/console/scores', name: 'scores', component: () => import('./pages/console/ScoresPage.vue'), meta: { roles: ASSOCIATION } },
  { path: '/console/campaigns', name: 'campaigns', component: () => import('./pages/console/CampaignsPage.vue'), meta: { roles: ['admin'] } },
  { path: '/console/exports', name: 'exports', component: () => import('./pages/console/ExportsPage.vue'), meta: { roles: ['admin', 'analyst'] } },
  {
    path: '/console/exports/dictionary',
    name: 'data-dictionary',
    component: () => import('./pages/console/DataDictionaryPage.vue'),
    meta: { roles: ['admin', 'analyst'] },
  },
  // The citizens' calendar: no sign-in (ADR 0045). `/public` names the configured campaign in the address.
  { path: '/public', name: 'public', component: () => import('./pages/PublicCalendarPage.vue'), meta: { public: true } },
  {
    path: '/public/campaigns/:campaignId',
    name: 'public-calendar',
    component: () => import('./pages/PublicCalendarPage.vue'),
    props: true,
    meta: { public: true },
  },
  {
    path: '/public/activities/:id',
    name: 'public-activity',
    component: () => import('./pages/PublicActivityPage.vue'),
    props: true,
    meta: { public: true },
  },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { public: true } },
];

/** Where a user starts: their unit's home for organizers, else the first console page their roles open. */
export function startPage(roles: readonly Role[]): string {
  if (roles.includes('organizer')) return '/';
  if (roles.includes('admin') || roles.includes('reviewer')) return '/console';
  if (roles.includes('analyst')) return '/console/exports';
  return '/';
}

export const mayOpen = (roles: readonly Role[], needed: readonly Role[] | undefined): boolean =>
  needed === undefined || needed.some((r) => roles.includes(r));

export function createAppRouter(session: Session) {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    if (!(await session.token())) return { name: 'signin', query: { next: to.fullPath } };
    // Every signed-in page works in one campaign: settle which before it opens (the page shows
    // its own error if the campaign cannot be read).
    await ensureCampaignId().catch(() => undefined);
    const roles = session.user.value?.roles ?? [];
    if (!mayOpen(roles, to.meta.roles)) {
      const start = startPage(roles);
      // A user with none of the roles any page needs stays on the home page, which says so.
      return start === to.path ? true : start;
    }
    return true;
  });
  return router;
}
