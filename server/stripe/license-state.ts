import type { LicenseStatus, StripeFact } from '../db/schema';

export interface RecordedFact {
  fact: StripeFact;
  object_id: string | null;
}

/**
 * The status of a license bought with one payment, from every recorded fact about that payment,
 * whatever order they arrived in: a full refund or a lost dispute revokes; a dispute that has not
 * closed (no event of it says won or lost) suspends; otherwise the license is active.
 */
export function licenseStatusFromFacts(facts: RecordedFact[]): LicenseStatus {
  const disputes = new Map<string, 'open' | 'won' | 'lost'>();
  let revoked = false;
  for (const { fact, object_id: id } of facts) {
    if (fact === 'refunded' || fact === 'dispute_lost') revoked = true;
    if (!fact.startsWith('dispute_') || id === null) continue;
    const outcome = fact === 'dispute_lost' ? 'lost' : fact === 'dispute_won' ? 'won' : 'open';
    const known = disputes.get(id);
    if (known === undefined || known === 'open' || outcome === 'lost') disputes.set(id, outcome);
  }
  if (revoked) return 'revoked';
  return [...disputes.values()].includes('open') ? 'suspended' : 'active';
}
