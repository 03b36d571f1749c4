/** Runs a conditional DynamoDB write: true when it happened, false when its condition did not hold. */
export async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if ((err as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}
