import { BenchPart } from '../bench';
import { remindersPart } from './reminders';

/** Every benchmark part, by name. Each issue with a performance target adds its part here. */
export const BENCH_PARTS: BenchPart[] = [remindersPart];
