/**
 * "我的数据 · My data" (PIPL right of access, issue 21 item 3): everything SciDay holds about the
 * signed-in person (`GET /v1/me/data`), saved as a JSON file by the browser.
 */
import { ok } from './api/client';
import { useContext } from './context';

/** The file's name: `sciday-my-data-2021-09-20.json` (the day it was made, as the API says). */
export const myDataFileName = (generatedAt: string): string => `sciday-my-data-${generatedAt.slice(0, 10)}.json`;

/** Reads the person's data and hands it to the browser as a download; throws the API's problem. */
export async function downloadMyData(): Promise<void> {
  const { api } = useContext();
  const { data } = await ok(api.GET('/v1/me/data'));
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = myDataFileName(data.generatedAt);
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
