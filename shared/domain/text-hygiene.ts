/**
 * Text hygiene: characters no text people type may hold, because they make what is shown
 * differ from what is stored (issue 17, item 14).
 *
 * - Bidirectional controls (embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069,
 *   marks U+200E, U+200F, U+061C) reorder what a reviewer or an export reader sees
 *   (`photo\u202Egpj.exe` shows as `photoexe.jpg`).
 * - Zero-width and other invisible characters (U+200B, U+200C, U+2060–U+2064, U+FEFF,
 *   U+180E, the soft hyphen U+00AD, tag characters U+E0000–U+E007F) make two names that look the
 *   same differ (`科协` and `科\u200B协`). The zero-width joiner U+200D is allowed only inside an
 *   emoji sequence (`👩‍💻`), where it is how the emoji is written.
 * - Control characters (C0, DEL, C1): refused everywhere, except that a multi-line text keeps
 *   tab, line feed and carriage return. A single-line text (a title, a name, a reason) refuses
 *   line breaks too (`\n`, `\r`, U+0085, U+2028, U+2029): `line_break_not_allowed`.
 *
 * Every text of a request body is checked by {@link textHygieneProblem}: shared/schemas/text.ts
 * builds it into `text()`, and the campaign definition's bilingual names use it directly.
 */
import type * as z from './zod';
import { customIssue } from './issues';

/** Whether a text is one line (titles, names, reasons) or may hold line breaks (descriptions). */
export type TextLines = 'single' | 'multi';

const LINE_BREAKS = new Set([0x0a, 0x0d, 0x85, 0x2028, 0x2029]);
const MULTI_LINE_CONTROLS_ALLOWED = new Set([0x09, 0x0a, 0x0d]);

/** Bidi controls, zero-width and invisible format characters (not U+200D: see {@link isEmojiJoiner}). */
function isHidden(cp: number): boolean {
  return (
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x200e ||
    cp === 0x200f ||
    cp === 0x061c ||
    cp === 0x200b ||
    cp === 0x200c ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    cp === 0xfeff ||
    cp === 0x180e ||
    cp === 0x00ad ||
    (cp >= 0xe0000 && cp <= 0xe007f)
  );
}

const isControl = (cp: number): boolean => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);

const EMOJI_BEFORE_JOINER = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u;
const EMOJI_AFTER_JOINER = /^\p{Extended_Pictographic}$/u;

/** A zero-width joiner between two parts of an emoji (`👩` `‍` `💻`). */
const isEmojiJoiner = (before: string | undefined, after: string | undefined): boolean =>
  before !== undefined && after !== undefined && EMOJI_BEFORE_JOINER.test(before) && EMOJI_AFTER_JOINER.test(after);

/** `U+202E` for a code point. */
export const codePointName = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** What is wrong with a text: the issue code and the first offending character (`U+202E`). */
export interface TextHygieneProblem {
  readonly code: 'hidden_character' | 'line_break_not_allowed';
  readonly character: string;
}

/** The first problem of `s` as a `lines` text, or `undefined` when it is clean. */
export function textHygieneProblem(s: string, lines: TextLines = 'single'): TextHygieneProblem | undefined {
  // Fast path: printable ASCII and most CJK text has none of these.
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\udb40]/.test(s)) return undefined;
  const points = [...s];
  for (let i = 0; i < points.length; i++) {
    const cp = points[i]?.codePointAt(0) ?? 0;
    if (LINE_BREAKS.has(cp)) {
      if (lines === 'single') return { code: 'line_break_not_allowed', character: codePointName(cp) };
      if (cp === 0x0a || cp === 0x0d) continue;
    }
    if (cp === 0x200d && !isEmojiJoiner(points[i - 1], points[i + 1])) return { code: 'hidden_character', character: codePointName(cp) };
    if (isHidden(cp)) return { code: 'hidden_character', character: codePointName(cp) };
    if (isControl(cp) && !(lines === 'multi' && MULTI_LINE_CONTROLS_ALLOWED.has(cp))) {
      return { code: 'hidden_character', character: codePointName(cp) };
    }
  }
  return undefined;
}

/**
 * A zod `superRefine` callback raising {@link textHygieneProblem}'s issue on the refined
 * string (`hidden_character` or `line_break_not_allowed`, with `{ character }`).
 */
export const refuseHiddenCharacters =
  (lines: TextLines = 'single') =>
  (s: string, ctx: z.core.$RefinementCtx<string>): void => {
    const problem = textHygieneProblem(s, lines);
    if (problem) ctx.addIssue(customIssue(problem.code, [], { character: problem.character }));
  };
