import { BenchPart } from '../bench';
import { custodyPart } from './custody';
import { datasetPart } from './dataset';
import { queuesPart } from './queues';
import { remindersPart } from './reminders';
import { reportPart } from './report';
import { securityPart } from './security';

/** Every benchmark part, by name. Each issue with a performance target adds its part here. */
export const BENCH_PARTS: BenchPart[] = [datasetPart, securityPart, reportPart, remindersPart, queuesPart, custodyPart];
