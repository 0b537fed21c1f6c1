const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids of deployments and agreements are uuids; anything else cannot exist, and PostgreSQL would
 * refuse it in a uuid comparison (an error, not an empty result).
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
