import { BenchPart } from '../bench';
import { custodyPart } from './custody';
import { datasetPart } from './dataset';
import { faultsPart } from './faults';
import { importPart } from './import';
import { lifecyclePart } from './lifecycle';
import { profilesPart } from './profiles';
import { listsPart } from './lists';
import { queuesPart } from './queues';
import { remindersPart } from './reminders';
import { reportPart } from './report';
import { searchPart } from './search';
import { securityPart } from './security';

/** Every benchmark part, by name. Each issue with a performance target adds its part here. */
export const BENCH_PARTS: BenchPart[] = [datasetPart, securityPart, reportPart, remindersPart, queuesPart, lifecyclePart, listsPart, searchPart, custodyPart, importPart, faultsPart, profilesPart];
