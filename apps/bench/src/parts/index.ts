import { BenchPart } from '../bench';
import { datasetPart } from './dataset';
import { faultsPart } from './faults';
import { queuesPart } from './queues';
import { remindersPart } from './reminders';
import { reportPart } from './report';
import { securityPart } from './security';

/** Every benchmark part, by name. Each issue with a performance target adds its part here. */
export const BENCH_PARTS: BenchPart[] = [datasetPart, securityPart, reportPart, remindersPart, queuesPart, faultsPart];
