/**
 * Chinese first, English on switch: the language is a reactive ref kept in local storage, sent
 * to the API as `Accept-Language` (so problem titles and field messages come back in it) and
 * used for the component library's locale. Field messages come from the same catalog the API
 * uses (shared/domain/issue-messages.ts); this file holds only the app's own words.
 */
import { computed, ref } from 'vue';
import { issueMessage } from '../../shared/domain/issue-messages';

export type Lang = 'zh-CN' | 'en';
const STORAGE_KEY = 'sciday:lang';

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
export const lang = ref<Lang>(stored === 'en' ? 'en' : 'zh-CN');

export function setLang(next: Lang): void {
  lang.value = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

/** A text in both languages: `{ zh, en }` as campaigns and the API carry them. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** The current language's half of a bilingual text. */
export const pick = (b: Bilingual | undefined): string => (b ? (lang.value === 'en' ? b.en : b.zh) : '');

/** A field issue's message in the current language (the API's catalog). */
export const fieldMessage = (code: string, params?: Readonly<Record<string, string | number>>): string =>
  issueMessage(code, lang.value, params);

/** `t(zh, en)`: the app's own words, written side by side where they are used. */
export const t = (zh: string, en: string): string => (lang.value === 'en' ? en : zh);

/** `true` while English is shown (for templates). */
export const isEnglish = computed(() => lang.value === 'en');
