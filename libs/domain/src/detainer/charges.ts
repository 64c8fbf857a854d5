import type { Charge } from './types';

function seriousness(charge: Charge): number {
  return (charge.level === 'felony' ? 2 : 0) + (charge.status === 'convicted' ? 1 : 0);
}

/** Felony over misdemeanor; within a level, convicted over pending; on a tie, the first given. */
export function mostSeriousCharge(charges: readonly Charge[]): Charge | undefined {
  let best: Charge | undefined;
  for (const charge of charges) {
    if (best === undefined || seriousness(charge) > seriousness(best)) best = charge;
  }
  return best;
}
