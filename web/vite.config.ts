// The web app's build: Vite with the Vue plugin, rooted at web/, emitting web/dist (what
// `npm start` serves at `/` and CDK uploads to the site bucket). Route pages are split into
// their own chunks; the form page's first load is budgeted by `npm run bench`.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [vue()],
  // Relative to the site root: the same build serves `npm start` and CloudFront.
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The budget is enforced by the bench on gzip sizes, not by this warning.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run web:dev` proxies the API to a running `npm start` (PORT, default 3000).
    proxy: Object.fromEntries(
      ['/v1', '/local', '/health', '/config.json'].map((p) => [p, `http://127.0.0.1:${process.env.SCIDAY_API_PORT ?? 3000}`]),
    ),
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
