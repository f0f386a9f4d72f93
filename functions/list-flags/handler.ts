// PLACEHOLDER (being built in this session): replaced by the real handler before commit to main.
export const handler = async (): Promise<never> => {
  throw new Error('list-flags is not built yet');
};
