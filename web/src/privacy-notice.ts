/**
 * The privacy notice gate (issue 21 item 2): once a person is signed in, the app asks the API
 * whether they acknowledged the current notice; until they do, App.vue shows the notice instead
 * of the pages (kept mounted and hidden, so nothing typed is lost; local copies are untouched).
 */
import { shallowRef } from 'vue';
import { ok, type Schemas } from './api/client';
import { useContext } from './context';

export type PrivacyNotice = Schemas['PrivacyNotice'];

/** The current notice and the person's acknowledgement of it; `undefined` until read (or when it could not be). */
export const noticeState = shallowRef<PrivacyNotice | undefined>(undefined);

/** While the notice is being read (the page says so: `data-notice="pending"` on main, for tests). */
export const noticeLoading = shallowRef(false);

/** Reads the notice for the signed-in person. A failure does not lock the app: the next sign-in asks again. */
export async function loadNotice(): Promise<void> {
  const { api } = useContext();
  noticeLoading.value = true;
  try {
    noticeState.value = (await ok(api.GET('/v1/me/privacy-notice'))).data;
  } catch {
    noticeState.value = undefined;
  } finally {
    noticeLoading.value = false;
  }
}

/** Records that the person read the version shown; throws the API's problem if it could not. */
export async function acknowledgeNotice(version: string): Promise<void> {
  const { api } = useContext();
  const { data } = await ok(api.PUT('/v1/me/privacy-notice', { body: { version } }));
  if (noticeState.value) noticeState.value = { ...noticeState.value, acknowledgedAt: data.acknowledgedAt };
}

/** Whether the notice stands between the person and the app. */
export const noticeBlocks = (n: PrivacyNotice | undefined): boolean => n !== undefined && n.acknowledgedAt === null;
