// Routes, one chunk each (the form page's first load stays inside its budget).
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import type { Session } from './auth/session';

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./pages/HomePage.vue') },
  { path: '/signin', name: 'signin', component: () => import('./pages/SignInPage.vue'), meta: { public: true } },
  { path: '/auth/callback', name: 'callback', component: () => import('./pages/CallbackPage.vue'), meta: { public: true } },
  { path: '/activities', name: 'activities', component: () => import('./pages/ActivitiesPage.vue') },
  { path: '/activities/new', name: 'activity-new', component: () => import('./pages/ActivityFormPage.vue') },
  { path: '/activities/:id', name: 'activity', component: () => import('./pages/ActivityFormPage.vue'), props: true },
  { path: '/activities/:id/results', name: 'results', component: () => import('./pages/ResultsPage.vue'), props: true },
  { path: '/summary', name: 'summary', component: () => import('./pages/SummaryPage.vue') },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { public: true } },
];

export function createAppRouter(session: Session) {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    if (!(await session.token())) return { name: 'signin', query: { next: to.fullPath } };
    return true;
  });
  return router;
}
