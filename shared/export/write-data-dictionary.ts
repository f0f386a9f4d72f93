// `npm run docs:dictionary`: writes docs/data-dictionary.md from the column catalogue.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDataDictionary } from './data-dictionary';

export const DATA_DICTIONARY_PATH = join('docs', 'data-dictionary.md');

writeFileSync(DATA_DICTIONARY_PATH, renderDataDictionary());
console.log(`wrote ${DATA_DICTIONARY_PATH}`);
