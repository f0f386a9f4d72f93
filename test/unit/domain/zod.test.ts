// shared/domain/zod.ts: zod/mini with what classic zod did on its own (ADR 0053). This file
// imports no classic zod, which would install its English messages for the whole module graph.
import * as z from '../../../shared/domain/zod';

describe('Module: shared/domain/zod', () => {
  it('answers zod’s English messages, as classic zod did', () => {
    // Act
    const result = z.strictObject({ a: z.string().check(z.minLength(2)) }).safeParse({ a: 'x', b: 1 });
    // Assess
    expect(result.success || result.error.issues.map((i) => i.message)).toEqual(['Too small: expected string to have >=2 characters', 'Unrecognized key: "b"']);
    expect(z.string().safeParse(undefined).error?.issues[0]?.message).toBe('Invalid input: expected string, received undefined');
  });

  it('parse() throws classic’s ZodError: the name the logs show, the issues as its message', () => {
    // Act
    const thrown = (() => {
      try {
        return z.parse(z.strictObject({ n: z.number() }), { n: 'x' });
      } catch (error) {
        return error;
      }
    })();
    // Assess
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toBeInstanceOf(z.ZodError);
    expect((thrown as Error).name).toBe('ZodError');
    expect(String((thrown as Error).stack).split('\n')[0]).toBe('ZodError: [');
    expect(JSON.parse((thrown as Error).message)).toEqual([{ expected: 'number', code: 'invalid_type', path: ['n'], message: 'Invalid input: expected number, received string' }]);
    expect(z.parse(z.number(), 3)).toBe(3);
  });

  it('meta() registers a clone, as classic `.meta()`: the original stays unmarked', () => {
    // Prepare
    const shared = z.string().check(z.maxLength(5));
    // Act
    const described = z.meta(shared, { description: 'A name.' });
    // Assess
    expect(described).not.toBe(shared);
    expect(described._zod.parent).toBe(shared);
    expect(z.globalRegistry.get(described)).toEqual({ description: 'A name.' });
    expect(z.globalRegistry.get(shared)).toBeUndefined();
    expect(described.safeParse('abcdef').success).toBe(false);
    expect(z.toJSONSchema(described)).toEqual({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'string', maxLength: 5, description: 'A name.' });
  });
});
