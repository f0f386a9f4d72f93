/**
 * The building blocks of output schemas: what the API's answers share. Each answer's schema sits
 * beside the function that builds it, which returns {@link ViewOf} it; the OpenAPI document's
 * response components are those schemas, converted (ADR 0039).
 */
import * as z from '../domain/zod';
import { isoInstant } from './text';

/** A non-negative integer (as `integer()` in text.ts: JSON `integer`, no huge bounds). */
export const count = () => z.meta(z.number().check(z.gte(0)), { type: 'integer' });

/** An instant as answered: ISO 8601 with an offset (the campaign's, or UTC). */
export const instant = () => isoInstant();

/**
 * Words in both languages of the contract: one schema object, so the document states it once
 * (the component `Bilingual`) and refers to it wherever it is used.
 */
export const BILINGUAL = z.looseObject({ zh: z.string(), en: z.string() });
/** {@link BILINGUAL}. */
export const bilingual = () => BILINGUAL;

/** The `nextCursor` of every page, one schema object (the component `NextCursor`). */
export const NEXT_CURSOR = z.meta(z.nullable(z.string()), { description: 'Pass as `?cursor=` for the next page; `null` on the last one.' });

/** One page of a list (API.md "Lists"). */
export const page = <T extends z.ZodMiniType>(item: T) => z.looseObject({ items: z.array(item), nextCursor: NEXT_CURSOR });

/**
 * The type a view function returns for its schema `S`: the schema's output, read-only (views
 * pass the records' read-only arrays on) and without a loose object's index signature, so a
 * field the schema does not name fails the type check where the view writes it.
 */
export type ViewOf<S extends z.ZodMiniType> = Known<z.output<S>>;
type Known<T> = T extends readonly (infer E)[]
  ? readonly Known<E>[]
  : T extends object
    ? { readonly [K in keyof T as string extends K ? never : K]: Known<T[K]> }
    : T;
