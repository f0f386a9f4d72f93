// The web app's start: read /config.json, pick the sign-in (local or OIDC), mount.
import { createApp } from 'vue';
import App from './App.vue';
import { localSession } from './auth/local';
import type { Session } from './auth/session';
import { apiBase, loadConfig } from './config';
import { setContext } from './context';
import { lang } from './i18n';
import { createAppRouter } from './router';
import './styles.css';

async function start(): Promise<void> {
  document.documentElement.lang = lang.value;
  const config = await loadConfig();
  const session: Session =
    config.mode === 'oidc' ? (await import('./auth/oidc')).oidcSession(config.oidc) : localSession();
  setContext(config, session, apiBase(config));
  const app = createApp(App);
  app.use(createAppRouter(session));
  app.mount('#app');
}

start().catch((error: unknown) => {
  const root = document.getElementById('app');
  if (root) {
    root.innerHTML = '';
    const p = document.createElement('p');
    p.className = 'boot boot-error';
    p.setAttribute('role', 'alert');
    p.textContent = `无法启动：${String(error)}。请刷新重试。 Could not start: ${String(error)}. Reload to try again.`;
    root.append(p);
  }
});
