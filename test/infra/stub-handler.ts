/** A handler for synthesizing the stack quickly (synthesizeWithStubHandlers): does nothing. */
export const handler = async (): Promise<void> => {};
