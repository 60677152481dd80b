import { WhatIfReport } from '../domain/what-if';

/** What-if worker → request thread (the job goes in as workerData). */
export type WhatIfFromWorker =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'result'; report: WhatIfReport }
  | { kind: 'failure'; name: string; message: string };
