import { mostSeriousCharge } from './charges';
import type { Charge } from './types';

const c = (description: string, level: Charge['level'], status: Charge['status']): Charge => ({ description, level, status });

describe('mostSeriousCharge', () => {
  it.each([
    ['felony beats misdemeanor, even a convicted one', [c('DUI', 'misdemeanor', 'convicted'), c('Burglary', 'felony', 'pending')], 'Burglary'],
    ['within felonies, convicted beats pending', [c('Assault', 'felony', 'pending'), c('Robbery', 'felony', 'convicted')], 'Robbery'],
    ['within misdemeanors, convicted beats pending', [c('Trespass', 'misdemeanor', 'pending'), c('Theft', 'misdemeanor', 'convicted')], 'Theft'],
    ['ties go to the first given', [c('A', 'felony', 'pending'), c('B', 'felony', 'pending')], 'A'],
    ['ties after a better one', [c('M', 'misdemeanor', 'pending'), c('F1', 'felony', 'convicted'), c('F2', 'felony', 'convicted')], 'F1'],
    ['a single charge', [c('Only', 'misdemeanor', 'pending')], 'Only'],
  ])('%s', (_name, charges, expected) => {
    expect(mostSeriousCharge(charges)?.description).toBe(expected);
  });

  it('is undefined without charges', () => {
    expect(mostSeriousCharge([])).toBeUndefined();
  });
});
