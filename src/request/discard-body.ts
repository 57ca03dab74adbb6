const ignore = () => {};

/** Cancels a response body nobody will read, so the transport releases the connection. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(ignore);
}
