/**
 * Link previews for the public activity pages (ADR 0045). Chat apps (WeChat, DingTalk, Slack…)
 * read a pasted link's `<title>` and Open Graph tags without running its script, so the app's
 * index.html alone would preview every activity as the same generic page. For
 * `/public/activities/{id}` the local web server writes the activity's own title and
 * description into the head of index.html; the page still starts as the same app. On AWS the
 * share link `GET /v1/public/activities/{id}/preview` answers {@link sharePage}, which sends
 * browsers on to that page.
 */
import { localDate } from '../domain/time';

/** What an activity id in a public address may be. */
export const PUBLIC_ACTIVITY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The path of an activity's public page and its id. */
export const PUBLIC_ACTIVITY_PATH = /^\/public\/activities\/([A-Za-z0-9_-]{1,64})\/?$/;

export interface SharePreview {
  readonly title: string;
  readonly description: string;
}

/** What the preview reads of `GET /v1/public/activities/{id}`; anything else in the answer is ignored. */
interface PublicActivityFields {
  readonly title?: unknown;
  readonly startsAt?: unknown;
  readonly endsAt?: unknown;
  readonly countyName?: { readonly zh?: unknown };
  readonly venue?: { readonly name?: unknown };
  readonly organizationName?: { readonly zh?: unknown };
  readonly format?: unknown;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/**
 * The preview of a public activity, in Chinese (the people it is shared among read Chinese; the
 * page itself switches to English): `科普进社区 · 全国科普日活动` and
 * `9月20日星期一 14:00–16:00 · 红旗区 · 社区活动中心 · 主办：红旗区科协`.
 */
export function activityPreview(body: unknown, timeZone = 'Asia/Shanghai'): SharePreview | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const a = body as PublicActivityFields;
  const title = text(a.title);
  if (!title) return undefined;
  const start = new Date(text(a.startsAt));
  const end = new Date(text(a.endsAt));
  let when = '';
  if (!Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime())) {
    const day = new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
    const clock = new Intl.DateTimeFormat('zh-CN', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
    when = localDate(start, timeZone) === localDate(end, timeZone)
      ? `${day.format(start)} ${clock.format(start)}–${clock.format(end)}`
      : `${day.format(start)} ${clock.format(start)} 至 ${day.format(end)} ${clock.format(end)}`;
  }
  const place = text(a.venue?.name) || (a.format === 'online' ? '线上活动' : '');
  const organizer = text(a.organizationName?.zh);
  const description = [when, text(a.countyName?.zh), place, organizer ? `主办：${organizer}` : ''].filter(Boolean).join(' · ');
  return { title: `${title} · 全国科普日活动`, description: description.slice(0, 300) };
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The head tags of a preview: title, description, Open Graph (`url`: the page's own address, for `og:url`). */
function previewTags(preview: SharePreview, url?: string): string[] {
  const title = escapeHtml(preview.title);
  const description = escapeHtml(preview.description);
  return [
    `<title>${title}</title>`,
    `<meta name="description" content="${description}" />`,
    `<meta property="og:type" content="website" />`,
    `<meta property="og:title" content="${title}" />`,
    `<meta property="og:description" content="${description}" />`,
    ...(url ? [`<meta property="og:url" content="${escapeHtml(url)}" />`] : []),
  ];
}

/**
 * index.html with `preview` as its title, description and Open Graph tags (`url`: the page's own
 * address, for `og:url`). The app's generic title and description are replaced, never doubled.
 */
export function withSharePreview(html: string, preview: SharePreview, url?: string): string {
  const tags = previewTags(preview, url).join('\n    ');
  const stripped = html.replace(/<title>[\s\S]*?<\/title>\s*/i, '').replace(/<meta\s+name="description"[^>]*>\s*/i, '');
  return stripped.replace(/<\/head>/i, `  ${tags}\n  </head>`);
}

/** The public page of an activity in the web app: absolute under `webOrigin`, else a path of the same origin (one machine). */
export const publicActivityPageUrl = (activityId: string, webOrigin?: string): string =>
  `${webOrigin ?? ''}/public/activities/${encodeURIComponent(activityId)}`;

/**
 * The share link's answer on AWS, where the web app is static files and no server writes into
 * index.html: a small page with the preview's tags for crawlers (`og:url` and the canonical link
 * name the app's page, so a chat shows and dedupes that address) that sends a browser on to the
 * page at once (`refresh` needs no script, so no CSP allows one), with a link for the rest.
 */
export function sharePage(preview: SharePreview, pageUrl: string): string {
  const url = escapeHtml(pageUrl);
  return [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '  <head>',
    '    <meta charset="utf-8" />',
    ...previewTags(preview, pageUrl).map((t) => `    ${t}`),
    `    <link rel="canonical" href="${url}" />`,
    `    <meta http-equiv="refresh" content="0;url=${url}" />`,
    '  </head>',
    `  <body><p><a href="${url}">${escapeHtml(preview.title)}</a></p></body>`,
    '</html>',
    '',
  ].join('\n');
}
