import { StaleVersionError, VersionRequiredError } from '../../../shared/errors';
import { checkIfMatch, ifMatchFailure } from '../../../shared/use-cases/if-match';

describe('Function: ifMatchFailure', () => {
  it('holds when If-Match names the stored version', () => {
    expect(ifMatchFailure(3, { version: 3, required: true })).toBeUndefined();
  });

  it('answers 428 when a version is required and none is sent', () => {
    expect(ifMatchFailure(undefined, { version: 3, required: true })).toBeInstanceOf(VersionRequiredError);
  });

  it('holds without If-Match where none is required', () => {
    expect(ifMatchFailure(undefined, { version: 0, required: false })).toBeUndefined();
  });

  it('answers 412 with the stored version when If-Match names another', () => {
    // Act
    const failure = ifMatchFailure(2, { version: 0, required: false });
    // Assess
    expect(failure).toBeInstanceOf(StaleVersionError);
    expect(failure).toMatchObject({ status: 412, currentVersion: 0 });
  });
});

describe('Function: checkIfMatch', () => {
  it('throws the failure', () => {
    expect(() => checkIfMatch(1, { version: 2, required: true })).toThrow(StaleVersionError);
  });
});
