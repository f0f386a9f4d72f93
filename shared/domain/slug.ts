/**
 * A lower-case slug: 1 to 64 of `a-z`, `0-9` and `-`, not starting with `-`. Campaign ids
 * (`2022-xinxiang`) and cities (`xinxiang`) are slugs; a city names a campaign's city in a token,
 * in the configuration and in the local token issuer alike.
 */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
