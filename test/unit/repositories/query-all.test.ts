import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { recordOf } from '../../../shared/repositories/keys';
import { queryAll, queryPages } from '../../../shared/repositories/query-all';

/** A client answering Queries from `pages` in order, each naming the next by its index. */
const pagedClient = (pages: ReadonlyArray<Array<Record<string, unknown>>>) => {
  const starts: unknown[] = [];
  const client = {
    send: async (command: { input: { ExclusiveStartKey?: { i: number } } }) => {
      starts.push(command.input.ExclusiveStartKey);
      const i = command.input.ExclusiveStartKey?.i ?? 0;
      return { Items: pages[i], LastEvaluatedKey: i + 1 < pages.length ? { i: i + 1 } : undefined };
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, starts };
};

describe('Function: queryPages', () => {
  it('reads page after page from the given start key', async () => {
    // Prepare
    const { client, starts } = pagedClient([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]]);
    // Act
    const seen: unknown[] = [];
    for await (const page of queryPages(client, { TableName: 't', ExclusiveStartKey: { i: 1 } })) seen.push(...(page.Items ?? []));
    // Assess
    expect(seen).toStrictEqual([{ n: 2 }, { n: 3 }]);
    expect(starts).toStrictEqual([{ i: 1 }, { i: 2 }]);
  });

  it('reads no further once the reader stops', async () => {
    // Prepare
    const { client, starts } = pagedClient([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]]);
    // Act
    for await (const page of queryPages(client, { TableName: 't' })) if (page.Items?.length) break;
    // Assess
    expect(starts).toHaveLength(1);
  });
});

describe('Function: queryAll', () => {
  it('answers every item of every page', async () => {
    const { client } = pagedClient([[{ n: 1 }], [], [{ n: 3 }]]);
    expect(await queryAll(client, { TableName: 't' })).toStrictEqual([{ n: 1 }, { n: 3 }]);
  });
});

describe('Function: recordOf', () => {
  it('drops the storage attributes and the ones named', () => {
    // Prepare
    const item = { pk: 'A', sk: 'B', gsi1pk: 'C', gsi1sk: 'D', gsi2pk: 'E', gsi2sk: 'F', gsi3pk: 'G', gsi3sk: 'H', entity: 'Flag', createToken: 't', flagId: 'f1', waived: false };
    // Act
    const record = recordOf<Record<string, unknown>>(item, ['createToken']);
    // Assess
    expect(record).toStrictEqual({ flagId: 'f1', waived: false });
  });
});
